CREATE TABLE `channel_updates` (
	`channel` text NOT NULL,
	`update_id` text NOT NULL,
	`at` text NOT NULL,
	PRIMARY KEY(`channel`, `update_id`)
);
--> statement-breakpoint
CREATE INDEX `channel_updates_at_idx` ON `channel_updates` (`at`);