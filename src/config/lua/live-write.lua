--[[
  Writes the live configuration if nobody changed it since the caller read it (compare and set),
  appends the change to the audit log and tells every process that a new version is out.

  KEYS[1]  the live configuration hash (fields version, doc)
  KEYS[2]  the audit log stream
  ARGV[1]  the version the caller read ('' when there was none)
  ARGV[2]  the new version
  ARGV[3]  the new document (JSON)
  ARGV[4]  the audit log's length cap
  ARGV[5]  the change channel
  ARGV[6]  the audit entry (JSON), '' for none (the seed from the file)

  Returns {1, version} when written, {0, current version} when the caller's version is stale.
]]
local current = redis.call('HGET', KEYS[1], 'version') or ''
if current ~= ARGV[1] then return {0, current} end
redis.call('HSET', KEYS[1], 'version', ARGV[2], 'doc', ARGV[3])
if ARGV[6] ~= '' then redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[4], '*', 'e', ARGV[6]) end
redis.call('PUBLISH', ARGV[5], ARGV[2])
return {1, ARGV[2]}
