CREATE TABLE "agent_conversations" (
	"session_id" text COLLATE "C" PRIMARY KEY NOT NULL,
	"agent_session_id" text COLLATE "C" NOT NULL,
	"bytes" bigint NOT NULL,
	"captured_at" text COLLATE "C" NOT NULL,
	"files" json NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_head" (
	"id" integer PRIMARY KEY NOT NULL,
	"last_id" bigint NOT NULL,
	"count" bigint NOT NULL,
	"hash" text COLLATE "C" NOT NULL
);
--> statement-breakpoint
-- Anchor a log written before this table existed at its current end.
INSERT INTO "audit_head" ("id", "last_id", "count", "hash")
SELECT 1, "id", (SELECT count(*) FROM "audit_log"), "hash" FROM "audit_log" ORDER BY "id" DESC LIMIT 1;
