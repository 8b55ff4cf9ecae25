--[[
  Adds an items job's mentions of a watch to the count of an hour that is still open. Each job adds
  under a field of its own, so a retried or raced job counts once.

  KEYS[1]  the hour's open count: a hash, per job a field whose value is its mentions
  ARGV[1]  the job's field, ARGV[2] its mentions, ARGV[3] time to live of the hash (ms)

  Returns 1.
]]
redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
