-- Burst captures: several frames (images) of one passage at the entrance give one pre-verification record.
-- capture_passages names the record a camera's passage id currently leads to. A frame joins with a compare-and-set on
-- (pre_verification_id, frame_count) in the same commit as its frame rows and the record's new vote, so two nodes that
-- add frames at once cannot both win: the loser reads again and votes over every frame. A frame whose capturedAt is
-- past the window of the passage's first frame moves the row to a new record (the same compare-and-set).
CREATE TABLE capture_passages (
    camera_id           TEXT NOT NULL,
    passage_id          TEXT NOT NULL,
    pre_verification_id TEXT NOT NULL,
    first_captured_at   INTEGER NOT NULL,
    frame_count         INTEGER NOT NULL,
    PRIMARY KEY (camera_id, passage_id)
);
-- Every frame of a burst record with what the reader made of it (what the vote is recomputed from), its image by SHA-256
-- and whether its bytes were new at the station (claim: Claimed | Replayed | Duplicate, a second copy within the passage).
CREATE TABLE capture_frames (
    pre_verification_id TEXT NOT NULL,
    frame_index         INTEGER NOT NULL,
    image_sha256        TEXT NOT NULL,
    image_path          TEXT NULL,
    captured_at         INTEGER NOT NULL,
    received_at         INTEGER NOT NULL,
    outcome             TEXT NOT NULL,
    plate               TEXT NULL,
    format              TEXT NULL,
    confidence          REAL NOT NULL,
    characters          TEXT NULL,
    reasons             TEXT NOT NULL,
    claim               TEXT NOT NULL,
    PRIMARY KEY (pre_verification_id, frame_index)
);
