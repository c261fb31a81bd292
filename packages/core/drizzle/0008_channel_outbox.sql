CREATE TABLE `channel_cursors` (
	`channel` text PRIMARY KEY NOT NULL,
	`through` integer NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `channel_outbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`channel` text NOT NULL,
	`event_id` integer NOT NULL,
	`session_id` text NOT NULL,
	`seq` integer NOT NULL,
	`state` text NOT NULL,
	`attempts` integer NOT NULL,
	`next_attempt_at` text NOT NULL,
	`last_error` text,
	`ref` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`event` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `channel_outbox_channel_event_uq` ON `channel_outbox` (`channel`,`event_id`);--> statement-breakpoint
CREATE INDEX `channel_outbox_channel_session_seq_idx` ON `channel_outbox` (`channel`,`session_id`,`seq`);--> statement-breakpoint
CREATE INDEX `channel_outbox_channel_state_next_idx` ON `channel_outbox` (`channel`,`state`,`next_attempt_at`);--> statement-breakpoint
CREATE TABLE `channel_values` (
	`channel` text NOT NULL,
	`key` text NOT NULL,
	`value` text NOT NULL,
	`updated_at` text NOT NULL,
	PRIMARY KEY(`channel`, `key`)
);
