-- The station's plate region: a code of the plate format catalogue (OcppServer/Vision/Formats/plate-formats.json), a
-- country (ISO 3166-1 alpha-2, e.g. DE) or a US state (US-CA). Its formats are tried first, then its neighbours', then
-- the generic rule; NULL: Vision:DefaultRegions, or every format. Checked against the catalogue by the API.
ALTER TABLE stations ADD COLUMN plate_region text NULL;
