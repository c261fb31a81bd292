CREATE TABLE "agent_conversation_pieces" (
	"session_id" text COLLATE "C" NOT NULL,
	"n" integer NOT NULL,
	"files" json NOT NULL,
	CONSTRAINT "agent_conversation_pieces_session_id_n_pk" PRIMARY KEY("session_id","n")
);
