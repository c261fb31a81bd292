DROP INDEX `templates_name_uq`;--> statement-breakpoint
ALTER TABLE `templates` ADD `owner_id` text;--> statement-breakpoint
CREATE INDEX `templates_owner_name_idx` ON `templates` (`owner_id`,`name`);--> statement-breakpoint
ALTER TABLE `memory_entries` ADD `expires_at` text;--> statement-breakpoint
CREATE INDEX `memory_entries_expires_at_idx` ON `memory_entries` (`expires_at`);--> statement-breakpoint
ALTER TABLE `pipelines` ADD `owner_id` text;--> statement-breakpoint
ALTER TABLE `pipelines` ADD `state` text DEFAULT 'running' NOT NULL;--> statement-breakpoint
CREATE INDEX `pipelines_owner_created_at_idx` ON `pipelines` (`owner_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `pipelines_state_idx` ON `pipelines` (`state`);