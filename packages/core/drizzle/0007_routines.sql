CREATE TABLE `routine_runs` (
	`id` text PRIMARY KEY NOT NULL,
	`routine_id` text NOT NULL,
	`trigger` text NOT NULL,
	`due_at` text NOT NULL,
	`outcome` text NOT NULL,
	`run` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `routine_runs_due_uq` ON `routine_runs` (`routine_id`,`trigger`,`due_at`);--> statement-breakpoint
CREATE INDEX `routine_runs_outcome_idx` ON `routine_runs` (`outcome`);--> statement-breakpoint
CREATE TABLE `routines` (
	`id` text PRIMARY KEY NOT NULL,
	`owner_id` text,
	`name` text NOT NULL,
	`enabled` integer NOT NULL,
	`next_fire_at` text,
	`last_fired_at` text,
	`spec` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `routines_due_idx` ON `routines` (`enabled`,`next_fire_at`);--> statement-breakpoint
CREATE INDEX `routines_owner_name_idx` ON `routines` (`owner_id`,`name`);