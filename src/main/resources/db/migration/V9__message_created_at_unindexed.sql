-- The index on the messages' time goes. Its only reader was purging by age, which now reads the primary key's
-- range instead (a message's id begins with its time, MessageEntity.idBoundAt), while every stored message paid
-- for it with one more index entry in its commit (performance.md item 25: a few percent of a single-message
-- commit's CPU on H2, too little to see in the server's batches).
DROP INDEX message_created_at;
