CREATE TABLE `agent_conversations` (
	`session_id` text PRIMARY KEY NOT NULL,
	`agent_session_id` text NOT NULL,
	`bytes` integer NOT NULL,
	`captured_at` text NOT NULL,
	`files` text NOT NULL
);
