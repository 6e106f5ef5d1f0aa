-- A generation for each account's tokens: a token carries the one it was issued in, and a change of the
-- password raises the account's, which ends every token issued before it.
ALTER TABLE account ADD COLUMN token_generation INTEGER DEFAULT 0 NOT NULL;
