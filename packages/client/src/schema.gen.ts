// Generated from openapi.json by scripts/gen.mjs — do not edit.
export interface paths {
    "/v1/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Server health */
        get: operations["getHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sessions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List sessions, newest first */
        get: operations["listSessions"];
        put?: never;
        /**
         * Create a session (or reuse an idle one in the same workDir)
         * @description Starts an agent in `workDir` and answers once it is ready. If an idle session of the same owner already works in that directory it is reused (200, `reused: true`) and the prompt goes to it; otherwise a new session is created (201). `promptDelivery` says whether the prompt reached the agent or is queued.
         */
        post: operations["createSession"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sessions/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a session, including its pending permission request */
        get: operations["getSession"];
        put?: never;
        post?: never;
        /** Kill a session (stops its agent; the session is kept for audit) */
        delete: operations["killSession"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sessions/{id}/send": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send a follow-up prompt
         * @description When the session is idle the prompt starts a turn at once (`delivered: true`). While a turn runs (or the agent is starting) the prompt is queued and delivered in order when the running turn ends (`queued: true`, `position`). Nothing is dropped silently; `interrupt` drops queued prompts and says how many. A session that has ended answers 409 SESSION_TERMINATED.
         */
        post: operations["sendMessage"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sessions/{id}/approve": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Approve the pending permission request
         * @description Answers the oldest pending permission request by choosing the option the agent offered of the matching kind (allow_once / allow_always with `scope: "always"` / reject_once), or the explicit `optionId`. 409 NOTHING_PENDING when no request is waiting.
         */
        post: operations["approvePermission"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sessions/{id}/reject": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Reject the pending permission request
         * @description Answers the oldest pending permission request by choosing the option the agent offered of the matching kind (allow_once / allow_always with `scope: "always"` / reject_once), or the explicit `optionId`. 409 NOTHING_PENDING when no request is waiting.
         */
        post: operations["rejectPermission"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sessions/{id}/interrupt": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Cancel the running turn
         * @description Sends session/cancel to the agent, answers open permission requests as cancelled and drops queued prompts. The turn ends with stopReason `cancelled` and the session returns to idle.
         */
        post: operations["interruptSession"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sessions/{id}/mode": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Switch the agent's permission mode */
        post: operations["setMode"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sessions/{id}/read": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read the transcript incrementally
         * @description Returns transcript entries newer than `cursor` (a value you hold; pass back the returned `cursor`), with the session status. Each client keeps its own cursor, so readers never steal each other's messages.
         */
        get: operations["readSession"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sessions/{id}/transcript/cursor": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Page the transcript backwards with stable ids */
        get: operations["getTranscriptPage"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sessions/{id}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Stream a session's events (SSE)
         * @description Server-sent events. Each frame's `id` is the event's per-session `seq`. Reconnect with `Last-Event-ID` (or `?after=`) to get every event after it from the durable log, then live events, with no gaps or duplicates. A `: ping` comment is sent periodically to keep idle connections open.
         */
        get: operations["streamSessionEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Stream the events of every session (SSE)
         * @description Like the per-session stream, but frame ids are the global event `id`.
         */
        get: operations["streamEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        HealthResponse: {
            /** @enum {string} */
            status: "ok";
            version: string;
            uptimeSec: number;
            sessions: {
                live: number;
            };
            agents: string[];
        };
        CreateSessionResponse: {
            session: components["schemas"]["Session"];
            reused: boolean;
            promptDelivery: components["schemas"]["PromptDelivery"] | null;
        };
        Session: {
            id: string;
            name: string | null;
            title: string | null;
            workDir: string;
            status: components["schemas"]["SessionStatus"];
            permissionMode: components["schemas"]["PermissionMode"];
            agent: string;
            model: string | null;
            ownerId: string | null;
            parentId: string | null;
            createdAt: string;
            updatedAt: string;
            lastActivityAt: string;
            turns: number;
            queuedPrompts: number;
            lastSeq: number;
            usage: components["schemas"]["Usage"];
            pendingPermission: components["schemas"]["PendingPermission"] | null;
            pendingPermissionCount: number;
            problem: components["schemas"]["SessionProblem"] | null;
            exit: components["schemas"]["AgentExit"] | null;
            availableModes: components["schemas"]["AgentMode"][];
            availableCommands: components["schemas"]["AgentCommand"][];
        };
        /** @enum {string} */
        SessionStatus: "pending" | "idle" | "working" | "permission_prompt" | "asking" | "stalled" | "rate_limit" | "error" | "completed" | "killed" | "crashed";
        /** @enum {string} */
        PermissionMode: "default" | "acceptEdits" | "plan" | "bypassPermissions" | "dontAsk" | "auto";
        Usage: {
            /** @default 0 */
            inputTokens: number;
            /** @default 0 */
            outputTokens: number;
            /** @default 0 */
            cachedReadTokens: number;
            /** @default 0 */
            cachedWriteTokens: number;
            /** @default 0 */
            totalTokens: number;
            /** @default null */
            costUsd: number | null;
            /** @default null */
            contextUsed: number | null;
            /** @default null */
            contextSize: number | null;
        };
        PendingPermission: {
            requestId: string;
            toolCallId: string | null;
            title: string;
            kind: components["schemas"]["ToolKind"] | null;
            input?: unknown;
            /** @default [] */
            content: components["schemas"]["ToolContent"][];
            options: components["schemas"]["PermissionOption"][];
            requestedAt: string;
        };
        /** @enum {string} */
        ToolKind: "read" | "edit" | "delete" | "move" | "search" | "execute" | "think" | "fetch" | "switch_mode" | "other";
        ToolContent: {
            /** @enum {string} */
            type: "text";
            text: string;
        } | {
            /** @enum {string} */
            type: "diff";
            path: string;
            oldText: string | null;
            newText: string;
        } | {
            /** @enum {string} */
            type: "terminal";
            terminalId: string;
        };
        PermissionOption: {
            optionId: string;
            name: string;
            kind: components["schemas"]["PermissionOptionKind"];
        };
        /** @enum {string} */
        PermissionOptionKind: "allow_once" | "allow_always" | "reject_once" | "reject_always";
        SessionProblem: {
            code: string;
            message: string;
            hint?: string;
            retryAt?: string;
        };
        AgentExit: {
            exitCode: number | null;
            signal: string | null;
            stderrTail: string;
        };
        AgentMode: {
            id: string;
            name: string;
            description?: string | null;
        };
        AgentCommand: {
            name: string;
            description: string;
            hint?: string | null;
        };
        PromptDelivery: {
            /** @description The prompt reached the agent (its turn started) */
            delivered: boolean;
            /** @description The prompt waits, in order, behind the running turn */
            queued: boolean;
            /** @description 1 = next in the queue */
            position: number | null;
            attempts: number;
        };
        ErrorResponse: {
            error: {
                /** @description Stable UPPER_SNAKE code to branch on */
                code: ("BAD_REQUEST" | "VALIDATION_FAILED" | "WORKDIR_DENIED" | "UNSUPPORTED_MODE" | "UNSUPPORTED_MODEL" | "UNKNOWN_AGENT" | "UNAUTHORIZED" | "FORBIDDEN" | "SESSION_NOT_FOUND" | "NOT_FOUND" | "NOTHING_PENDING" | "INVALID_TRANSITION" | "SESSION_TERMINATED" | "SESSION_BUSY" | "CONFLICT" | "PAYLOAD_TOO_LARGE" | "RATE_LIMITED" | "INTERNAL" | "AGENT_PROTOCOL_ERROR" | "AGENT_CRASHED" | "AGENT_AUTH_REQUIRED" | "AGENT_START_FAILED" | "AGENT_TIMEOUT" | "STORE_UNAVAILABLE" | "SHUTTING_DOWN") | string;
                /** @description What happened and what to do */
                message: string;
                details?: {
                    [key: string]: unknown;
                };
            };
        };
        CreateSessionRequest: {
            /** @description Absolute path of an existing directory inside the allowed directories */
            workDir: string;
            name?: string;
            /** @description First prompt; delivered as soon as the agent is ready */
            prompt?: string;
            permissionMode?: components["schemas"]["PermissionMode"];
            model?: string;
            /** @description A configured ACP agent; default claude-code */
            agent?: string;
            /** @description Extra environment for the agent process */
            env?: {
                [key: string]: string;
            };
            parentId?: string;
        };
        SessionList: {
            sessions: components["schemas"]["Session"][];
            total: number;
            page: number;
            limit: number;
        };
        SendResponse: {
            promptDelivery: components["schemas"]["PromptDelivery"];
            session: components["schemas"]["Session"];
        };
        SendRequest: {
            text: string;
        };
        PermissionAnswerResponse: {
            requestId: string;
            optionId: string;
            optionKind: string;
            session: components["schemas"]["Session"];
        };
        PermissionAnswerRequest: {
            /** @description Pick an offered option explicitly */
            optionId?: string;
            /**
             * @description always → the allow_always / reject_always option
             * @enum {string}
             */
            scope?: "once" | "always";
        };
        InterruptResponse: {
            interrupted: boolean;
            droppedPrompts: number;
            session: components["schemas"]["Session"];
        };
        ModeRequest: {
            mode: components["schemas"]["PermissionMode"];
        };
        ReadResponse: {
            status: components["schemas"]["SessionStatus"];
            session: components["schemas"]["Session"];
            entries: components["schemas"]["TranscriptEntry"][];
            /** @description Pass back as ?cursor= to get only newer entries */
            cursor: number;
            has_more: boolean;
        };
        TranscriptEntry: {
            id: number;
            sessionId: string;
            /** @description seq of the event that finished this entry */
            seq: number;
            at: string;
            role: components["schemas"]["TranscriptRole"];
            text: string;
            tool?: {
                toolCallId: string;
                title: string;
                kind: components["schemas"]["ToolKind"] | null;
                status: string;
                input?: unknown;
                output?: unknown;
                content: components["schemas"]["ToolContent"][];
                locations: components["schemas"]["ToolLocation"][];
            };
            permission?: {
                requestId: string;
                title: string;
                options: components["schemas"]["PermissionOption"][];
                /** @enum {string} */
                outcome: "selected" | "cancelled";
                optionKind: string | null;
                decidedBy: components["schemas"]["Decider"];
            };
            plan?: components["schemas"]["PlanEntry"][];
        };
        /** @enum {string} */
        TranscriptRole: "user" | "assistant" | "thought" | "tool" | "permission" | "plan" | "system";
        ToolLocation: {
            path: string;
            line?: number | null;
        };
        Decider: {
            /** @enum {string} */
            type: "human" | "policy" | "system";
            actor: string | null;
            rule?: string | null;
        };
        PlanEntry: {
            content: string;
            /** @enum {string} */
            priority: "high" | "medium" | "low";
            /** @enum {string} */
            status: "pending" | "in_progress" | "completed";
        };
        TranscriptPage: {
            messages: components["schemas"]["TranscriptEntry"][];
            has_more: boolean;
            oldest_id: number | null;
            newest_id: number | null;
        };
        AegisEvent: components["schemas"]["SessionCreatedEvent"] | components["schemas"]["AgentReadyEvent"] | components["schemas"]["SessionStateChangedEvent"] | components["schemas"]["SessionInfoUpdatedEvent"] | components["schemas"]["TurnStartedEvent"] | components["schemas"]["TurnCompletedEvent"] | components["schemas"]["TurnFailedEvent"] | components["schemas"]["TurnStalledEvent"] | components["schemas"]["MessageDeltaEvent"] | components["schemas"]["MessageCompletedEvent"] | components["schemas"]["ThoughtDeltaEvent"] | components["schemas"]["ToolStartedEvent"] | components["schemas"]["ToolUpdatedEvent"] | components["schemas"]["ToolCompletedEvent"] | components["schemas"]["PermissionRequestedEvent"] | components["schemas"]["PermissionResolvedEvent"] | components["schemas"]["PlanUpdatedEvent"] | components["schemas"]["UsageUpdatedEvent"] | components["schemas"]["CommandsUpdatedEvent"] | components["schemas"]["ModeChangedEvent"] | components["schemas"]["SessionEndedEvent"];
        SessionCreatedEvent: {
            /** @description Global position in the event log, increasing across all sessions */
            id: number;
            sessionId: string;
            /** @description Per-session sequence number, strictly increasing; the SSE event id */
            seq: number;
            /** @description ISO-8601 time the event was recorded */
            at: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "session.created";
            data: {
                name: string | null;
                workDir: string;
                agent: string;
                permissionMode: components["schemas"]["PermissionMode"];
                model: string | null;
                parentId: string | null;
            };
        };
        AgentReadyEvent: {
            /** @description Global position in the event log, increasing across all sessions */
            id: number;
            sessionId: string;
            /** @description Per-session sequence number, strictly increasing; the SSE event id */
            seq: number;
            /** @description ISO-8601 time the event was recorded */
            at: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "agent.ready";
            data: {
                agentName: string;
                agentVersion: string | null;
                protocolVersion: number | null;
                pid: number | null;
                modes: components["schemas"]["AgentMode"][];
                currentMode: string | null;
                models: {
                    id: string;
                    name: string;
                }[];
                currentModel: string | null;
            };
        };
        SessionStateChangedEvent: {
            /** @description Global position in the event log, increasing across all sessions */
            id: number;
            sessionId: string;
            /** @description Per-session sequence number, strictly increasing; the SSE event id */
            seq: number;
            /** @description ISO-8601 time the event was recorded */
            at: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "session.state_changed";
            data: {
                from: components["schemas"]["SessionStatus"];
                to: components["schemas"]["SessionStatus"];
                reason: string | null;
            };
        };
        SessionInfoUpdatedEvent: {
            /** @description Global position in the event log, increasing across all sessions */
            id: number;
            sessionId: string;
            /** @description Per-session sequence number, strictly increasing; the SSE event id */
            seq: number;
            /** @description ISO-8601 time the event was recorded */
            at: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "session.info_updated";
            data: {
                title: string | null;
            };
        };
        TurnStartedEvent: {
            /** @description Global position in the event log, increasing across all sessions */
            id: number;
            sessionId: string;
            /** @description Per-session sequence number, strictly increasing; the SSE event id */
            seq: number;
            /** @description ISO-8601 time the event was recorded */
            at: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "turn.started";
            data: {
                turnId: string;
                text: string;
                queuedMs: number;
            };
        };
        TurnCompletedEvent: {
            /** @description Global position in the event log, increasing across all sessions */
            id: number;
            sessionId: string;
            /** @description Per-session sequence number, strictly increasing; the SSE event id */
            seq: number;
            /** @description ISO-8601 time the event was recorded */
            at: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "turn.completed";
            data: {
                turnId: string;
                stopReason: components["schemas"]["StopReason"];
                durationMs: number;
            };
        };
        /** @enum {string} */
        StopReason: "end_turn" | "max_tokens" | "max_turn_requests" | "refusal" | "cancelled";
        TurnFailedEvent: {
            /** @description Global position in the event log, increasing across all sessions */
            id: number;
            sessionId: string;
            /** @description Per-session sequence number, strictly increasing; the SSE event id */
            seq: number;
            /** @description ISO-8601 time the event was recorded */
            at: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "turn.failed";
            data: {
                turnId: string;
                problem: components["schemas"]["SessionProblem"];
                rateLimited: boolean;
                durationMs: number;
            };
        };
        TurnStalledEvent: {
            /** @description Global position in the event log, increasing across all sessions */
            id: number;
            sessionId: string;
            /** @description Per-session sequence number, strictly increasing; the SSE event id */
            seq: number;
            /** @description ISO-8601 time the event was recorded */
            at: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "turn.stalled";
            data: {
                turnId: string;
                silentMs: number;
            };
        };
        MessageDeltaEvent: {
            /** @description Global position in the event log, increasing across all sessions */
            id: number;
            sessionId: string;
            /** @description Per-session sequence number, strictly increasing; the SSE event id */
            seq: number;
            /** @description ISO-8601 time the event was recorded */
            at: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "message.delta";
            data: {
                messageId: string;
                text: string;
            };
        };
        MessageCompletedEvent: {
            /** @description Global position in the event log, increasing across all sessions */
            id: number;
            sessionId: string;
            /** @description Per-session sequence number, strictly increasing; the SSE event id */
            seq: number;
            /** @description ISO-8601 time the event was recorded */
            at: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "message.completed";
            data: {
                messageId: string;
                text: string;
            };
        };
        ThoughtDeltaEvent: {
            /** @description Global position in the event log, increasing across all sessions */
            id: number;
            sessionId: string;
            /** @description Per-session sequence number, strictly increasing; the SSE event id */
            seq: number;
            /** @description ISO-8601 time the event was recorded */
            at: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "thought.delta";
            data: {
                messageId: string;
                text: string;
            };
        };
        ToolStartedEvent: {
            /** @description Global position in the event log, increasing across all sessions */
            id: number;
            sessionId: string;
            /** @description Per-session sequence number, strictly increasing; the SSE event id */
            seq: number;
            /** @description ISO-8601 time the event was recorded */
            at: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "tool.started";
            data: {
                toolCallId: string;
                title?: string;
                kind?: components["schemas"]["ToolKind"];
                status?: components["schemas"]["ToolStatus"];
                input?: unknown;
                output?: unknown;
                content?: components["schemas"]["ToolContent"][];
                locations?: components["schemas"]["ToolLocation"][];
            };
        };
        /** @enum {string} */
        ToolStatus: "pending" | "in_progress" | "completed" | "failed";
        ToolUpdatedEvent: {
            /** @description Global position in the event log, increasing across all sessions */
            id: number;
            sessionId: string;
            /** @description Per-session sequence number, strictly increasing; the SSE event id */
            seq: number;
            /** @description ISO-8601 time the event was recorded */
            at: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "tool.updated";
            data: {
                toolCallId: string;
                title?: string;
                kind?: components["schemas"]["ToolKind"];
                status?: components["schemas"]["ToolStatus"];
                input?: unknown;
                output?: unknown;
                content?: components["schemas"]["ToolContent"][];
                locations?: components["schemas"]["ToolLocation"][];
            };
        };
        ToolCompletedEvent: {
            /** @description Global position in the event log, increasing across all sessions */
            id: number;
            sessionId: string;
            /** @description Per-session sequence number, strictly increasing; the SSE event id */
            seq: number;
            /** @description ISO-8601 time the event was recorded */
            at: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "tool.completed";
            data: {
                toolCallId: string;
                title?: string;
                kind?: components["schemas"]["ToolKind"];
                /** @enum {string} */
                status: "completed" | "failed";
                input?: unknown;
                output?: unknown;
                content?: components["schemas"]["ToolContent"][];
                locations?: components["schemas"]["ToolLocation"][];
            };
        };
        PermissionRequestedEvent: {
            /** @description Global position in the event log, increasing across all sessions */
            id: number;
            sessionId: string;
            /** @description Per-session sequence number, strictly increasing; the SSE event id */
            seq: number;
            /** @description ISO-8601 time the event was recorded */
            at: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "permission.requested";
            data: {
                requestId: string;
                toolCallId: string | null;
                title: string;
                kind: components["schemas"]["ToolKind"] | null;
                input?: unknown;
                /** @default [] */
                content: components["schemas"]["ToolContent"][];
                options: components["schemas"]["PermissionOption"][];
            };
        };
        PermissionResolvedEvent: {
            /** @description Global position in the event log, increasing across all sessions */
            id: number;
            sessionId: string;
            /** @description Per-session sequence number, strictly increasing; the SSE event id */
            seq: number;
            /** @description ISO-8601 time the event was recorded */
            at: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "permission.resolved";
            data: {
                requestId: string;
                /** @enum {string} */
                outcome: "selected" | "cancelled";
                optionId: string | null;
                optionKind: components["schemas"]["PermissionOptionKind"] | null;
                decidedBy: components["schemas"]["Decider"];
                waitedMs: number;
            };
        };
        PlanUpdatedEvent: {
            /** @description Global position in the event log, increasing across all sessions */
            id: number;
            sessionId: string;
            /** @description Per-session sequence number, strictly increasing; the SSE event id */
            seq: number;
            /** @description ISO-8601 time the event was recorded */
            at: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "plan.updated";
            data: {
                entries: components["schemas"]["PlanEntry"][];
            };
        };
        UsageUpdatedEvent: {
            /** @description Global position in the event log, increasing across all sessions */
            id: number;
            sessionId: string;
            /** @description Per-session sequence number, strictly increasing; the SSE event id */
            seq: number;
            /** @description ISO-8601 time the event was recorded */
            at: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "usage.updated";
            data: {
                contextUsed?: number | null;
                contextSize?: number | null;
                costUsd?: number | null;
                inputTokens?: number;
                outputTokens?: number;
                cachedReadTokens?: number;
                cachedWriteTokens?: number;
            };
        };
        CommandsUpdatedEvent: {
            /** @description Global position in the event log, increasing across all sessions */
            id: number;
            sessionId: string;
            /** @description Per-session sequence number, strictly increasing; the SSE event id */
            seq: number;
            /** @description ISO-8601 time the event was recorded */
            at: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "commands.updated";
            data: {
                commands: components["schemas"]["AgentCommand"][];
            };
        };
        ModeChangedEvent: {
            /** @description Global position in the event log, increasing across all sessions */
            id: number;
            sessionId: string;
            /** @description Per-session sequence number, strictly increasing; the SSE event id */
            seq: number;
            /** @description ISO-8601 time the event was recorded */
            at: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "mode.changed";
            data: {
                mode: string;
            };
        };
        SessionEndedEvent: {
            /** @description Global position in the event log, increasing across all sessions */
            id: number;
            sessionId: string;
            /** @description Per-session sequence number, strictly increasing; the SSE event id */
            seq: number;
            /** @description ISO-8601 time the event was recorded */
            at: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "session.ended";
            data: {
                /** @enum {string} */
                status: "completed" | "killed" | "crashed";
                reason: string;
                exit: components["schemas"]["AgentExit"] | null;
            };
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    getHealth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Healthy */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HealthResponse"];
                };
            };
        };
    };
    listSessions: {
        parameters: {
            query?: {
                page?: number;
                limit?: number;
                /** @description Comma-separated states */
                status?: string;
                workDir?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of sessions */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionList"];
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    createSession: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateSessionRequest"];
            };
        };
        responses: {
            /** @description An idle session was reused */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreateSessionResponse"];
                };
            };
            /** @description A new session was created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreateSessionResponse"];
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not allowed for this role */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Conflicts with the session state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description The agent failed */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Unavailable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    getSession: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The session */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Session"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    killSession: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The killed session */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Session"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Conflicts with the session state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    sendMessage: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SendRequest"];
            };
        };
        responses: {
            /** @description Delivered or queued */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SendResponse"];
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Conflicts with the session state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    approvePermission: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["PermissionAnswerRequest"];
            };
        };
        responses: {
            /** @description Answered */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PermissionAnswerResponse"];
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Conflicts with the session state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    rejectPermission: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["PermissionAnswerRequest"];
            };
        };
        responses: {
            /** @description Answered */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PermissionAnswerResponse"];
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Conflicts with the session state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    interruptSession: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Interrupted (or nothing was running) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InterruptResponse"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Conflicts with the session state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    setMode: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ModeRequest"];
            };
        };
        responses: {
            /** @description The session in its new mode */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Session"];
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Conflicts with the session state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    readSession: {
        parameters: {
            query?: {
                /** @description The `cursor` of the previous read; 0 = from the start */
                cursor?: number | null;
                limit?: number;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description New entries */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReadResponse"];
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    getTranscriptPage: {
        parameters: {
            query?: {
                before_id?: number;
                limit?: number;
                role?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page, oldest first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TranscriptPage"];
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    streamSessionEvents: {
        parameters: {
            query?: {
                /** @description Resume after this id (same as Last-Event-ID) */
                after?: number | null;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Event stream. Each SSE frame: `id:` = seq (per session) or id (global), `event:` = the event type, `data:` = one AegisEvent as JSON. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": components["schemas"]["AegisEvent"];
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    streamEvents: {
        parameters: {
            query?: {
                /** @description Resume after this id (same as Last-Event-ID) */
                after?: number | null;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Event stream. Each SSE frame: `id:` = seq (per session) or id (global), `event:` = the event type, `data:` = one AegisEvent as JSON. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": components["schemas"]["AegisEvent"];
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Missing or invalid credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not allowed for this role */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
}
