//! Bad input is the caller's error, through the real server: a message that
//! does not decode gets INVALID_ARGUMENT (not INTERNAL), and a request with
//! 10 000 bad members gets at most 100 field violations and one counting
//! the rest, in details small enough for any client to read.

use budgetrad::grpc::auth::Role;
use budgetrad::pb;
use budgetrad::store::Backend;
use tonic::Code;
use tonic_types::StatusExt;

use crate::helpers::*;

/// `CreateHouseholdRequest` as the wire sees it, with the household's
/// `case_reference` (a string, field 2) as raw bytes: lets a test send
/// bytes that are not UTF-8.
#[derive(Clone, PartialEq, prost::Message)]
struct RawCreate {
    #[prost(message, optional, tag = "1")]
    household: Option<RawHousehold>,
}

#[derive(Clone, PartialEq, prost::Message)]
struct RawHousehold {
    #[prost(bytes = "vec", tag = "2")]
    case_reference: Vec<u8>,
}

async fn create_raw(app: &TestApp, message: RawCreate) -> tonic::Status {
    let mut grpc = tonic::client::Grpc::new(app.channel());
    grpc.ready().await.expect("the server is up");
    let mut request = tonic::Request::new(message);
    request.metadata_mut().insert(
        "authorization",
        format!("Bearer {}", secret_for(Role::Caseworker))
            .parse()
            .expect("ASCII"),
    );
    let path = "/budgetrad.v1.HouseholdService/CreateHousehold"
        .parse()
        .expect("a path");
    let codec = tonic_prost::ProstCodec::<RawCreate, ()>::default();
    grpc.unary(request, path, codec).await.expect_err("refused")
}

#[tokio::test]
async fn a_message_that_does_not_decode_is_invalid_argument() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    // A string that is not UTF-8.
    let status = create_raw(
        &app,
        RawCreate {
            household: Some(RawHousehold {
                case_reference: vec![b'A', 0xff, 0xfe, b'B'],
            }),
        },
    )
    .await;
    assert_eq!(status.code(), Code::InvalidArgument, "{status:?}");
    assert!(
        status
            .message()
            .starts_with("the request could not be decoded"),
        "{}",
        status.message()
    );
    // The same bytes as valid UTF-8 decode and reach the validator.
    let status = create_raw(
        &app,
        RawCreate {
            household: Some(RawHousehold {
                case_reference: b"AB".to_vec(),
            }),
        },
    )
    .await;
    assert_eq!(status.code(), Code::InvalidArgument);
    assert!(
        status.message().contains("invalid field"),
        "{}",
        status.message()
    );
    // Nothing was written.
    let listed = app
        .households()
        .list_households(pb::ListHouseholdsRequest::default())
        .await
        .expect("listed")
        .into_inner();
    assert!(listed.households.is_empty(), "nothing written");
}

#[tokio::test]
async fn ten_thousand_bad_members_get_a_hundred_violations_and_a_count() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    // Each member is an applicant with no valid birth date: at least one
    // violation apiece.
    let members: Vec<pb::Member> = (0..10_000)
        .map(|_| pb::Member {
            role: pb::MemberRole::Applicant as i32,
            birth_date: "not a date".into(),
            ..Default::default()
        })
        .collect();
    let status = app
        .households()
        .create_household(pb::CreateHouseholdRequest {
            household: Some(pb::Household {
                case_reference: "TEST-HOSTILE".into(),
                members,
                ..Default::default()
            }),
        })
        .await
        .expect_err("refused");
    // The client could read the trailer: not RESOURCE_EXHAUSTED.
    assert_eq!(status.code(), Code::InvalidArgument, "{status:?}");
    let violations = status
        .get_error_details()
        .bad_request()
        .expect("a BadRequest")
        .field_violations
        .clone();
    assert_eq!(violations.len(), 101);
    let last = violations.last().expect("the count");
    let more: usize = last
        .description
        .strip_suffix(" more invalid field(s) not listed")
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{last:?}"));
    assert!(more >= 10_000 - 100, "{more}");
    let details = status.details().len();
    let message = status.message().len();
    println!("10 000 bad members: {details} bytes of details, {message} bytes of message");
    assert!(details < 16 * 1024, "{details} bytes of details");
    assert!(message < 1024, "{message} bytes of message");
    let listed = app
        .households()
        .list_households(pb::ListHouseholdsRequest::default())
        .await
        .expect("listed")
        .into_inner();
    assert!(listed.households.is_empty(), "nothing written");
}

/// `CheckRentPaidStreamRequest` with its `correlation_id` (a string, field
/// 1) as raw bytes.
#[derive(Clone, PartialEq, prost::Message)]
struct RawStreamItem {
    #[prost(bytes = "vec", tag = "1")]
    correlation_id: Vec<u8>,
}

#[tokio::test]
async fn an_undecodable_stream_item_ends_the_stream_with_invalid_argument() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let mut grpc = tonic::client::Grpc::new(app.channel());
    grpc.ready().await.expect("the server is up");
    let items = tokio_stream::iter(vec![RawStreamItem {
        correlation_id: vec![0xc3, 0x28],
    }]);
    let mut request = tonic::Request::new(items);
    request.metadata_mut().insert(
        "authorization",
        format!("Bearer {}", secret_for(Role::RentCheck))
            .parse()
            .expect("ASCII"),
    );
    let path = "/budgetrad.v1.RentCheckService/CheckRentPaidStream"
        .parse()
        .expect("a path");
    let codec = tonic_prost::ProstCodec::<RawStreamItem, ()>::default();
    let status = match grpc.streaming(request, path, codec).await {
        Err(status) => status,
        Ok(response) => {
            let mut stream = response.into_inner();
            loop {
                match stream.message().await {
                    Ok(Some(())) => continue,
                    Ok(None) => panic!("the stream ended OK"),
                    Err(status) => break status,
                }
            }
        }
    };
    assert_eq!(status.code(), Code::InvalidArgument, "{status:?}");
    assert!(
        status
            .message()
            .starts_with("the request could not be decoded"),
        "{}",
        status.message()
    );
}
