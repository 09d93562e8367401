using Dapper;

using OcppServer.Authorization.PreVerification;

namespace OcppServer.Storage.Sql;

internal sealed class SqlCapturePassageStore(IRelationalDatabase database) : ICapturePassageStore
{
    private const string InsertRecordSql =
        """
        INSERT INTO pre_verifications (id, station_id, camera_id, source, plate, verdict, confidence, vehicle_id, reasons,
            plate_hint, image_sha256, image_path, captured_at, created_at, expires_at)
        VALUES (@Id, @StationId, @CameraId, @Source, @Plate, @Verdict, @Confidence, @VehicleId, @Reasons, @PlateHint,
            @ImageSha256, @ImagePath, @CapturedAt, @CreatedAt, @ExpiresAt)
        """;

    // A consumed record is evidence a transaction was started on: it never changes again.
    private const string UpdateRecordSql =
        """
        UPDATE pre_verifications SET plate = @Plate, verdict = @Verdict, confidence = @Confidence, vehicle_id = @VehicleId,
            reasons = @Reasons, plate_hint = @PlateHint, image_sha256 = @ImageSha256, image_path = @ImagePath
        WHERE id = @Id AND consumed_by_transaction_id IS NULL
        """;

    private const string InsertFrameSql =
        """
        INSERT INTO capture_frames (pre_verification_id, frame_index, image_sha256, image_path, captured_at, received_at, outcome,
            plate, format, confidence, characters, reasons, claim)
        VALUES (@PreVerificationId, @FrameIndex, @ImageSha256, @ImagePath, @CapturedAt, @ReceivedAt, @Outcome, @Plate, @Format,
            @Confidence, @Characters, @Reasons, @Claim)
        """;

    public Task<PassageState?> GetAsync(string cameraId, string passageId, CancellationToken cancellationToken) =>
        database.ReadAsync(c =>
        {
            var passage = c.QuerySingleOrDefault<CapturePassage>(
                "SELECT * FROM capture_passages WHERE camera_id = @cameraId AND passage_id = @passageId", new { cameraId, passageId });
            if (passage is null)
            {
                return null;
            }

            var record = c.QuerySingle<PreVerificationRecord>("SELECT * FROM pre_verifications WHERE id = @PreVerificationId", passage);
            var frames = c.Query<CaptureFrame>(
                "SELECT * FROM capture_frames WHERE pre_verification_id = @PreVerificationId ORDER BY frame_index", passage).AsList();
            // Read without a transaction: the row, the record and the frames may be of different moments. A vote over
            // them is only ever stored by a compare-and-set on this row's (record, frame count), which a frame added or a
            // passage restarted since has changed.
            return new PassageState(passage, record, frames);
        }, cancellationToken);

    public async Task<PassageWriteResult> WriteAsync(PassageWrite write, CancellationToken cancellationToken)
    {
        try
        {
            return await database.WriteAsync((c, t) =>
            {
                // Locals only: the engine may run this delegate again on a new transaction.
                int moved = write.Kind switch
                {
                    PassageWriteKind.NewRecord => 1,
                    PassageWriteKind.OpenPassage => c.Execute(
                        """
                        INSERT INTO capture_passages (camera_id, passage_id, pre_verification_id, first_captured_at, frame_count)
                        VALUES (@CameraId, @PassageId, @PreVerificationId, @FirstCapturedAt, @FrameCount)
                        ON CONFLICT (camera_id, passage_id) DO NOTHING
                        """, write.Passage, t),
                    _ => c.Execute(
                        """
                        UPDATE capture_passages SET pre_verification_id = @PreVerificationId, first_captured_at = @FirstCapturedAt,
                            frame_count = @FrameCount
                        WHERE camera_id = @CameraId AND passage_id = @PassageId
                          AND pre_verification_id = @ExpectedId AND frame_count = @ExpectedCount
                        """, new
                        {
                            write.Passage!.CameraId, write.Passage.PassageId, write.Passage.PreVerificationId, write.Passage.FirstCapturedAt,
                            write.Passage.FrameCount, ExpectedId = write.Expected!.PreVerificationId, ExpectedCount = write.Expected.FrameCount,
                        }, t),
                };
                if (moved == 0)
                {
                    return new PassageWriteResult(PassageWriteOutcome.Raced, null);
                }

                var frames = new List<CaptureFrame>(write.NewFrames.Count);
                bool replayed = write.PassageReplayed;
                foreach (var frame in write.NewFrames)
                {
                    var stored = frame;
                    if (frame.Claim != FrameClaims.Duplicate && c.Execute(
                            """
                            INSERT INTO captured_images (station_id, image_sha256, pre_verification_id) VALUES (@StationId, @ImageSha256, @Id)
                            ON CONFLICT (station_id, image_sha256) DO NOTHING
                            """, new { write.Record.StationId, frame.ImageSha256, write.Record.Id }, t) == 0)
                    {
                        stored = frame with { Claim = FrameClaims.Replayed };
                    }

                    replayed |= stored.Claim == FrameClaims.Replayed;
                    frames.Add(stored);
                }

                var record = replayed ? PreVerificationRecorder.AsReplayed(write.Record) : write.Record;
                c.Execute(InsertFrameSql, frames, t);
                if (write.Kind == PassageWriteKind.JoinPassage)
                {
                    if (c.Execute(UpdateRecordSql, record, t) == 0)
                    {
                        throw new RecordConsumedException(); // rolls back the frames and the row
                    }
                }
                else
                {
                    c.Execute(InsertRecordSql, record, t);
                }

                return new PassageWriteResult(PassageWriteOutcome.Committed, record);
            }, cancellationToken);
        }
        catch (RecordConsumedException)
        {
            return new PassageWriteResult(PassageWriteOutcome.Consumed, null);
        }
    }

    public Task<IReadOnlyList<CaptureFrame>> ListFramesAsync(string preVerificationId, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<CaptureFrame>>(c => c.Query<CaptureFrame>(
            "SELECT * FROM capture_frames WHERE pre_verification_id = @preVerificationId ORDER BY frame_index",
            new { preVerificationId }).AsList(), cancellationToken);

    private sealed class RecordConsumedException : Exception;
}
