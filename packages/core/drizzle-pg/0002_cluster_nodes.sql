ALTER TABLE "nodes" ADD COLUMN "started_at" text COLLATE "C";--> statement-breakpoint
ALTER TABLE "nodes" ADD COLUMN "info" json;