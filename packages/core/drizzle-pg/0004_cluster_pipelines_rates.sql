CREATE TABLE "cluster_secrets" (
	"name" text COLLATE "C" PRIMARY KEY NOT NULL,
	"secret" text COLLATE "C" NOT NULL,
	"created_at" text COLLATE "C" NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rate_windows" (
	"key" text COLLATE "C" PRIMARY KEY NOT NULL,
	"window_start" bigint NOT NULL,
	"count" integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE "pipelines" ADD COLUMN "runner_node" text COLLATE "C";--> statement-breakpoint
ALTER TABLE "pipelines" ADD COLUMN "runner_until" text COLLATE "C";