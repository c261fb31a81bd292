CREATE TABLE "idempotency_keys" (
	"owner_id" text COLLATE "C" NOT NULL,
	"key" text COLLATE "C" NOT NULL,
	"claim_id" text COLLATE "C" NOT NULL,
	"method" text COLLATE "C" NOT NULL,
	"path" text COLLATE "C" NOT NULL,
	"fingerprint" text COLLATE "C" NOT NULL,
	"state" text COLLATE "C" NOT NULL,
	"response_status" integer,
	"response_content_type" text COLLATE "C",
	"response_body" text COLLATE "C",
	"created_at" text COLLATE "C" NOT NULL,
	"locked_until" text COLLATE "C" NOT NULL,
	"expires_at" text COLLATE "C" NOT NULL,
	CONSTRAINT "idempotency_keys_owner_id_key_pk" PRIMARY KEY("owner_id","key")
);
--> statement-breakpoint
CREATE INDEX "idempotency_keys_expires_at_idx" ON "idempotency_keys" USING btree ("expires_at");