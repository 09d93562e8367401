-- Every entrance image a station has seen, by SHA-256: the same bytes sent again are a replay, refused. Claimed with the
-- record in one commit (INSERT ... ON CONFLICT DO NOTHING, checked by row count), so two identical captures sent at once
-- cannot both pass.
CREATE TABLE captured_images (
    station_id          TEXT NOT NULL,
    image_sha256        TEXT NOT NULL,
    pre_verification_id TEXT NOT NULL,
    PRIMARY KEY (station_id, image_sha256)
);
INSERT INTO captured_images (station_id, image_sha256, pre_verification_id)
SELECT station_id, image_sha256, MIN(id) FROM pre_verifications WHERE image_sha256 IS NOT NULL GROUP BY station_id, image_sha256;
