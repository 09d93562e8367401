-- Burst captures: several frames (images) of one passage at the entrance give one pre-verification record.
-- capture_passages names the record a camera's passage id currently leads to. A frame joins with a compare-and-set on
-- (pre_verification_id, frame_count) in the same commit as its frame rows and the record's new vote, so two nodes that
-- add frames at once cannot both win: the loser reads again and votes over every frame. A frame whose capturedAt is
-- past the window of the passage's first frame moves the row to a new record (the same compare-and-set).
CREATE TABLE capture_passages (
    camera_id           text NOT NULL,
    passage_id          text NOT NULL,
    pre_verification_id text NOT NULL,
    first_captured_at   bigint NOT NULL,
    frame_count         integer NOT NULL,
    PRIMARY KEY (camera_id, passage_id)
);
-- Every frame of a burst record with what the reader made of it (what the vote is recomputed from), its image by SHA-256
-- and whether its bytes were new at the station (claim: Claimed | Replayed | Duplicate, a second copy within the passage).
CREATE TABLE capture_frames (
    pre_verification_id text NOT NULL,
    frame_index         integer NOT NULL,
    image_sha256        text NOT NULL,
    image_path          text NULL,
    captured_at         bigint NOT NULL,
    received_at         bigint NOT NULL,
    outcome             text NOT NULL,
    plate               text NULL,
    format              text NULL,
    confidence          double precision NOT NULL,
    characters          text NULL,
    reasons             text NOT NULL,
    claim               text NOT NULL,
    PRIMARY KEY (pre_verification_id, frame_index)
);
