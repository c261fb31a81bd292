CREATE TABLE "channel_updates" (
	"channel" text COLLATE "C" NOT NULL,
	"update_id" text COLLATE "C" NOT NULL,
	"at" text COLLATE "C" NOT NULL,
	CONSTRAINT "channel_updates_channel_update_id_pk" PRIMARY KEY("channel","update_id")
);
--> statement-breakpoint
CREATE INDEX "channel_updates_at_idx" ON "channel_updates" USING btree ("at");