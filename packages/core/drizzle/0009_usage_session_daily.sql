CREATE TABLE `usage_session_daily` (
	`session_id` text NOT NULL,
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
	PRIMARY KEY(`session_id`, `day`, `owner_id`, `template_id`, `model`, `work_dir`)
) WITHOUT ROWID;
--> statement-breakpoint
-- The ledger rows written before this table existed, rolled up.
INSERT INTO `usage_session_daily` (`session_id`, `day`, `owner_id`, `template_id`, `model`, `work_dir`, `turns`, `input_tokens`, `output_tokens`, `cached_read_tokens`, `cached_write_tokens`, `cost_usd`, `duration_ms`, `tool_calls`)
SELECT `session_id`, `day`, coalesce(`owner_id`, ''), coalesce(`template_id`, ''), coalesce(`model`, ''), `work_dir`,
	count(*), sum(`input_tokens`), sum(`output_tokens`), sum(`cached_read_tokens`), sum(`cached_write_tokens`),
	coalesce(sum(`cost_usd`), 0), sum(`duration_ms`), sum(`tool_calls`)
FROM `usage_turns`
GROUP BY `session_id`, `day`, coalesce(`owner_id`, ''), coalesce(`template_id`, ''), coalesce(`model`, ''), `work_dir`;
