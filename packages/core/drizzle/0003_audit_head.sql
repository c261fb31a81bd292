CREATE TABLE `audit_head` (
	`id` integer PRIMARY KEY NOT NULL,
	`last_id` integer NOT NULL,
	`count` integer NOT NULL,
	`hash` text NOT NULL
);
--> statement-breakpoint
-- Anchor a log written before this table existed at its current end.
INSERT INTO `audit_head` (`id`, `last_id`, `count`, `hash`)
SELECT 1, `id`, (SELECT count(*) FROM `audit_log`), `hash` FROM `audit_log` ORDER BY `id` DESC LIMIT 1;
