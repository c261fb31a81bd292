CREATE TABLE `agent_conversation_pieces` (
	`session_id` text NOT NULL,
	`n` integer NOT NULL,
	`files` text NOT NULL,
	PRIMARY KEY(`session_id`, `n`)
);
