CREATE TABLE "usage_session_daily" (
	"session_id" text COLLATE "C" NOT NULL,
	"day" text COLLATE "C" NOT NULL,
	"owner_id" text COLLATE "C" NOT NULL,
	"template_id" text COLLATE "C" NOT NULL,
	"model" text COLLATE "C" NOT NULL,
	"work_dir" text COLLATE "C" NOT NULL,
	"turns" bigint NOT NULL,
	"input_tokens" bigint NOT NULL,
	"output_tokens" bigint NOT NULL,
	"cached_read_tokens" bigint NOT NULL,
	"cached_write_tokens" bigint NOT NULL,
	"cost_usd" double precision NOT NULL,
	"duration_ms" bigint NOT NULL,
	"tool_calls" bigint NOT NULL,
	CONSTRAINT "usage_session_daily_session_id_day_owner_id_template_id_model_work_dir_pk" PRIMARY KEY("session_id","day","owner_id","template_id","model","work_dir")
);
--> statement-breakpoint
-- The ledger rows written before this table existed, rolled up.
INSERT INTO "usage_session_daily" ("session_id", "day", "owner_id", "template_id", "model", "work_dir", "turns", "input_tokens", "output_tokens", "cached_read_tokens", "cached_write_tokens", "cost_usd", "duration_ms", "tool_calls")
SELECT "session_id", "day", coalesce("owner_id", ''), coalesce("template_id", ''), coalesce("model", ''), "work_dir",
	count(*), sum("input_tokens"), sum("output_tokens"), sum("cached_read_tokens"), sum("cached_write_tokens"),
	coalesce(sum("cost_usd"), 0), sum("duration_ms"), sum("tool_calls")
FROM "usage_turns"
GROUP BY "session_id", "day", coalesce("owner_id", ''), coalesce("template_id", ''), coalesce("model", ''), "work_dir";
