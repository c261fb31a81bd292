CREATE TABLE "routine_runs" (
	"id" text COLLATE "C" PRIMARY KEY NOT NULL,
	"routine_id" text COLLATE "C" NOT NULL,
	"trigger" text COLLATE "C" NOT NULL,
	"due_at" text COLLATE "C" NOT NULL,
	"outcome" text COLLATE "C" NOT NULL,
	"run" json NOT NULL
);
--> statement-breakpoint
CREATE TABLE "routines" (
	"id" text COLLATE "C" PRIMARY KEY NOT NULL,
	"owner_id" text COLLATE "C",
	"name" text COLLATE "C" NOT NULL,
	"enabled" boolean NOT NULL,
	"next_fire_at" text COLLATE "C",
	"last_fired_at" text COLLATE "C",
	"spec" json NOT NULL,
	"created_at" text COLLATE "C" NOT NULL,
	"updated_at" text COLLATE "C" NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "routine_runs_due_uq" ON "routine_runs" USING btree ("routine_id","trigger","due_at");--> statement-breakpoint
CREATE INDEX "routine_runs_outcome_idx" ON "routine_runs" USING btree ("outcome");--> statement-breakpoint
CREATE INDEX "routines_due_idx" ON "routines" USING btree ("enabled","next_fire_at");--> statement-breakpoint
CREATE INDEX "routines_owner_name_idx" ON "routines" USING btree ("owner_id","name");