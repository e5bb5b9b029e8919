//! Unit tests of the v2 batch codec: layout, CRC, zero-copy decoding, corruption.

use super::*;

fn sample(base: i64) -> RecordBatch {
    let mut b = BatchBuilder::new(base, 1_000, TimestampType::CreateTime);
    b.push(base, 1_000, Some(b"k1"), Some(b"v1"), &[]).unwrap();
    b.push(
        base + 1,
        1_005,
        None,
        None,
        &[Header::new("h", Some(Bytes::from_static(b"x")))],
    )
    .unwrap();
    b.push(base + 2, 990, Some(b"k3"), Some(b""), &[]).unwrap();
    b.finish(None).unwrap()
}

#[test]
fn crc32c_of_some_string_is_kafkas_value() {
    assert_eq!(crc32c::crc32c(b"Some String"), 608_512_271);
}

#[test]
fn the_header_is_laid_out_big_endian_as_kafka_does() {
    let batch = sample(42);
    let b = batch.as_bytes();
    assert_eq!(i64::from_be_bytes(b[0..8].try_into().unwrap()), 42);
    assert_eq!(
        i32::from_be_bytes(b[8..12].try_into().unwrap()) as usize,
        b.len() - 12
    );
    assert_eq!(b[16], 2);
    assert_eq!(i16::from_be_bytes(b[21..23].try_into().unwrap()), 0);
    assert_eq!(i32::from_be_bytes(b[23..27].try_into().unwrap()), 2);
    assert_eq!(i64::from_be_bytes(b[27..35].try_into().unwrap()), 1_000);
    assert_eq!(i64::from_be_bytes(b[35..43].try_into().unwrap()), 1_005);
    assert_eq!(i64::from_be_bytes(b[43..51].try_into().unwrap()), -1);
    assert_eq!(i16::from_be_bytes(b[51..53].try_into().unwrap()), -1);
    assert_eq!(i32::from_be_bytes(b[53..57].try_into().unwrap()), -1);
    assert_eq!(i32::from_be_bytes(b[57..61].try_into().unwrap()), 3);
    let crc = u32::from_be_bytes(b[17..21].try_into().unwrap());
    assert_eq!(crc, crc32c::crc32c(&b[21..]));
}

#[test]
fn a_single_record_encodes_exactly_like_kafka() {
    // Record: length 7+2+2=… written out by hand from DefaultRecord's layout.
    let mut b = BatchBuilder::new(0, 5, TimestampType::CreateTime);
    b.push(0, 5, Some(b"a"), Some(b"bc"), &[]).unwrap();
    let batch = b.finish(None).unwrap();
    let records = &batch.as_bytes()[61..];
    // length=9 (zigzag 18), attrs 0, tsDelta 0, offDelta 0, keyLen 1 (02) 'a', valLen 2 (04) 'bc', headers 0
    assert_eq!(records, &[18, 0, 0, 0, 2, b'a', 4, b'b', b'c', 0]);
}

#[test]
fn header_fields_are_read_without_decoding_records() {
    let batch = sample(100);
    assert_eq!(batch.base_offset(), 100);
    assert_eq!(batch.last_offset(), 102);
    assert_eq!(batch.next_offset(), 103);
    assert_eq!(batch.max_timestamp(), 1_005);
    assert_eq!(batch.record_count(), 3);
    assert_eq!(batch.size_in_bytes() as usize, batch.as_bytes().len());
    assert_eq!(batch.timestamp_type(), TimestampType::CreateTime);
    assert_eq!(batch.delete_horizon_ms(), None);
}

#[test]
fn records_round_trip_with_offsets_timestamps_nulls_and_headers() {
    let records = sample(7).records().unwrap();
    assert_eq!(records.len(), 3);
    assert_eq!(records[0].offset, 7);
    assert_eq!(records[0].key.as_deref(), Some(&b"k1"[..]));
    assert_eq!(records[1].key, None);
    assert!(records[1].is_tombstone());
    assert_eq!(
        records[1].headers,
        vec![Header::new("h", Some(Bytes::from_static(b"x")))]
    );
    assert_eq!(records[1].timestamp, 1_005);
    assert_eq!(records[2].timestamp, 990);
    assert_eq!(records[2].value.as_deref(), Some(&b""[..]));
}

#[test]
fn decoded_keys_and_values_point_into_the_batch_buffer() {
    let batch = sample(0);
    let buf = batch.as_bytes();
    let range = buf.as_ptr() as usize..buf.as_ptr() as usize + buf.len();
    for r in batch.records().unwrap() {
        for b in [r.key, r.value].into_iter().flatten() {
            assert!(range.contains(&(b.as_ptr() as usize)), "a slice was copied");
        }
    }
}

#[test]
fn log_append_time_batches_read_every_record_at_the_append_time() {
    let mut b = BatchBuilder::new(0, 50, TimestampType::LogAppendTime);
    b.push(0, 50, None, Some(b"v"), &[]).unwrap();
    b.push(1, 50, None, Some(b"w"), &[]).unwrap();
    let batch = b.finish(Some(50)).unwrap();
    assert_eq!(batch.attributes() & 0x08, 0x08);
    assert_eq!(batch.timestamp_type(), TimestampType::LogAppendTime);
    assert!(batch.records().unwrap().iter().all(|r| r.timestamp == 50));
}

#[test]
fn a_flipped_bit_is_caught_by_the_crc() {
    let mut raw = sample(0).as_bytes().to_vec();
    let last = raw.len() - 1;
    raw[last] ^= 1;
    let err = RecordBatch::from_bytes(Bytes::from(raw)).unwrap_err();
    assert!(matches!(err, BatchError::CrcMismatch { .. }), "{err}");
    assert_eq!(err.code(), ErrorCode::CorruptMessage);
}

#[test]
fn the_leader_epoch_is_outside_the_crc() {
    let mut raw = sample(0).as_bytes().to_vec();
    raw[12..16].copy_from_slice(&7i32.to_be_bytes());
    let batch = RecordBatch::from_bytes(Bytes::from(raw)).unwrap();
    assert_eq!(batch.partition_leader_epoch(), 7);
}

#[test]
fn short_input_wrong_magic_and_wrong_length_are_rejected_with_messages() {
    let err = RecordBatch::from_bytes(Bytes::from_static(&[0; 60])).unwrap_err();
    assert_eq!(
        err.to_string(),
        "record batch is 60 bytes, smaller than the 61-byte v2 batch header"
    );
    let mut raw = sample(0).as_bytes().to_vec();
    raw[16] = 1;
    let err = RecordBatch::from_bytes(Bytes::from(raw)).unwrap_err();
    assert_eq!(err, BatchError::UnsupportedMagic { magic: 1 });
    let raw = sample(0).as_bytes().to_vec();
    let torn = Bytes::from(raw[..raw.len() - 1].to_vec());
    assert!(matches!(
        RecordBatch::from_bytes(torn).unwrap_err(),
        BatchError::LengthMismatch { .. }
    ));
}

#[test]
fn a_record_count_that_disagrees_with_the_records_is_rejected() {
    let mut raw = sample(0).as_bytes().to_vec();
    raw[57..61].copy_from_slice(&2i32.to_be_bytes());
    let crc = crc32c::crc32c(&raw[21..]);
    raw[17..21].copy_from_slice(&crc.to_be_bytes());
    let batch = RecordBatch::from_bytes(Bytes::from(raw)).unwrap();
    assert_eq!(
        batch.records().unwrap_err(),
        BatchError::CountMismatch {
            declared: 2,
            found: 3
        }
    );
}

#[test]
fn parse_prefix_splits_concatenated_batches_without_copying() {
    let a = sample(0);
    let b = sample(3);
    let mut all = a.as_bytes().to_vec();
    all.extend_from_slice(b.as_bytes());
    let all = Bytes::from(all);
    let first = RecordBatch::parse_prefix(&all).unwrap();
    assert_eq!(first, a);
    assert_eq!(first.as_bytes().as_ptr(), all.as_ptr());
    let rest = all.slice(first.size_in_bytes() as usize..);
    assert_eq!(RecordBatch::parse_prefix(&rest).unwrap(), b);
}

#[test]
fn offsets_pushed_out_of_order_are_refused() {
    let mut b = BatchBuilder::new(10, 0, TimestampType::CreateTime);
    b.push(10, 0, None, None, &[]).unwrap();
    assert!(b.push(10, 0, None, None, &[]).is_err());
    assert!(b.push(9, 0, None, None, &[]).is_err());
    assert!(b
        .push(10 + i64::from(i32::MAX) + 1, 0, None, None, &[])
        .is_err());
}

#[test]
fn garbage_never_panics_the_decoder() {
    let batch = sample(0);
    let raw = batch.as_bytes().to_vec();
    for i in 61..raw.len() {
        for v in [0x00u8, 0x7f, 0x80, 0xff, 0x01] {
            let mut bad = raw.clone();
            bad[i] = v;
            let crc = crc32c::crc32c(&bad[21..]);
            bad[17..21].copy_from_slice(&crc.to_be_bytes());
            if let Ok(b) = RecordBatch::from_bytes(Bytes::from(bad)) {
                let _ = b.records();
            }
        }
    }
}

#[test]
fn record_views_borrow_the_batch_and_agree_with_owned_records() {
    let batch = sample(5);
    let owned = batch.records().unwrap();
    let views: Vec<_> = batch.iter().collect::<Result<_, _>>().unwrap();
    assert_eq!(views.len(), owned.len());
    for (v, r) in views.iter().zip(&owned) {
        assert_eq!(v.offset, r.offset);
        assert_eq!(v.timestamp, r.timestamp);
        assert_eq!(v.key, r.key.as_deref());
        assert_eq!(v.value, r.value.as_deref());
        let headers: Vec<Header> = v
            .headers()
            .map(|(k, val)| Header::new(k, val.map(Bytes::copy_from_slice)))
            .collect();
        assert_eq!(headers, r.headers);
        assert_eq!(v.to_record(batch.as_bytes()), *r);
    }
    let buf = batch.as_bytes();
    let key = views[0].key.unwrap();
    assert!(buf.as_ptr() <= key.as_ptr() && key.as_ptr() < buf.as_ptr().wrapping_add(buf.len()));
}

#[test]
fn a_record_iterator_stops_after_its_first_error() {
    let mut raw = sample(0).as_bytes().to_vec();
    raw[23..27].copy_from_slice(&3i32.to_be_bytes());
    raw[57..61].copy_from_slice(&4i32.to_be_bytes());
    let crc = crc32c::crc32c(&raw[21..]);
    raw[17..21].copy_from_slice(&crc.to_be_bytes());
    let batch = RecordBatch::from_bytes(Bytes::from(raw)).unwrap();
    let items: Vec<_> = batch.iter().collect();
    assert_eq!(items.len(), 4);
    assert_eq!(
        items[3],
        Err(BatchError::CountMismatch {
            declared: 4,
            found: 3
        })
    );
}
