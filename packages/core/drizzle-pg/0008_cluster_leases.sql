CREATE TABLE "cluster_leases" (
	"name" text COLLATE "C" PRIMARY KEY NOT NULL,
	"holder_node" text COLLATE "C",
	"epoch" integer DEFAULT 0 NOT NULL,
	"lease_until" text COLLATE "C",
	"acquired_at" text COLLATE "C"
);
