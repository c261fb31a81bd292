#!/bin/sh
# The lightest possible ACP agent (a few hundred KiB of RSS), for measuring the server's memory per
# idle session: answers `initialize` and `session/new`, ignores everything else, exits on stdin close.
while IFS= read -r line; do
  id=${line#*\"id\":}
  id=${id%%[,\}]*}
  case "$line" in
    *'"method":"initialize"'*)
      printf '{"jsonrpc":"2.0","id":%s,"result":{"protocolVersion":1,"agentCapabilities":{},"authMethods":[]}}\n' "$id" ;;
    *'"method":"session/new"'*)
      printf '{"jsonrpc":"2.0","id":%s,"result":{"sessionId":"tiny"}}\n' "$id" ;;
  esac
done
