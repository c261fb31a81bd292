CREATE TABLE `usage_daily` (
	`day` text NOT NULL,
	`owner_id` text NOT NULL,
	`template_id` text NOT NULL,
	`model` text NOT NULL,
	`work_dir` text NOT NULL,
	`turns` integer NOT NULL,
	`input_tokens` integer NOT NULL,
	`output_tokens` integer NOT NULL,
	`cached_read_tokens` integer NOT NULL,
	`cached_write_tokens` integer NOT NULL,
	`cost_usd` real NOT NULL,
	`duration_ms` integer NOT NULL,
	`tool_calls` integer NOT NULL,
	PRIMARY KEY(`day`, `owner_id`, `template_id`, `model`, `work_dir`)
);
--> statement-breakpoint
CREATE TABLE `usage_turns` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`session_id` text NOT NULL,
	`turn_id` text NOT NULL,
	`at` text NOT NULL,
	`day` text NOT NULL,
	`owner_id` text,
	`template_id` text,
	`model` text,
	`work_dir` text NOT NULL,
	`input_tokens` integer NOT NULL,
	`output_tokens` integer NOT NULL,
	`cached_read_tokens` integer NOT NULL,
	`cached_write_tokens` integer NOT NULL,
	`cost_usd` real,
	`cost_source` text NOT NULL,
	`duration_ms` integer NOT NULL,
	`tool_calls` integer NOT NULL,
	`outcome` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `usage_turns_day_session_idx` ON `usage_turns` (`day`,`session_id`);--> statement-breakpoint
CREATE INDEX `usage_turns_session_idx` ON `usage_turns` (`session_id`);