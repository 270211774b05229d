-- GS takes GameRegion as a preference, not a pool: when the region has no idle worker it locks one elsewhere, and it
-- answers ResourceNotFound.NoIdle only when the game is full everywhere. So a game has one queue, whatever region
-- its players prefer. See docs/cloud-game.md.

-- Places waiting per (game, region) join their game's one FIFO; seq is unique across games, so arrival order holds.
DROP INDEX cloud_queue_order;
CREATE INDEX cloud_queue_order ON cloud_queue (game_id, seq);

-- cloud_queue.game_region stays: it is now the region the player prefers ('' for none), passed on to TrylockWorker.

-- A game is current per game: whatever region it was asked in, GS gives a reconnecting user their own worker.
ALTER TABLE cloud_session DROP COLUMN game_region;
