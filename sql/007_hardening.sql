-- Hardening (issue 16).
--
-- Content conflicts: each event table keeps the SHA-256 of the event's
-- canonical content (the validated event as JSON, fields in contract order),
-- so a second event with the same event_id is told apart: the same hash is a
-- redelivery (a duplicate, dropped), another hash is a conflict, recorded in
-- rejected_events with kind 'conflict' and both hashes. Rows stored before
-- this migration have no hash and count as duplicates.
alter table clickstream_events add column content_hash bytea;
alter table inventory_events add column content_hash bytea;
alter table competitor_price_history add column content_hash bytea;

alter table rejected_events drop constraint rejected_events_kind_check;
alter table rejected_events add constraint rejected_events_kind_check
  check (kind in ('invalid', 'refused', 'conflict'));
alter table rejected_events
  add column payload_hash text,
  add column stored_hash text;

-- Offsets reset (`deno task offsets:reset`): after a log is lost or a topic
-- recreated, offsets are used again. The rejections recorded at the old
-- positions are kept, marked superseded, and no longer hold their position,
-- so a new rejection at the same offset is stored instead of vanishing.
alter table rejected_events add column superseded_at timestamptz;
alter table rejected_events drop constraint rejected_events_topic_partition_offset_key;
create unique index rejected_events_position_key
  on rejected_events (topic, "partition", "offset") where superseded_at is null;
