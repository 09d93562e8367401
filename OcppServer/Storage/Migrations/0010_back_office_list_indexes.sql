-- The back office lists pre-verification records newest first (of all stations, or of one through
-- ix_pre_verifications_station), and the hourly image retention looks for records whose image is past retention.
-- Both were a scan and sort of every record ever made. The retention index holds only records that still have an image.
CREATE INDEX ix_pre_verifications_created ON pre_verifications (created_at);
CREATE INDEX ix_pre_verifications_images ON pre_verifications (created_at) WHERE image_path IS NOT NULL;
