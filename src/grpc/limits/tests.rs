use std::convert::Infallible;

use tonic_types::StatusExt;
use tower::ServiceExt;

use super::*;
use crate::grpc::auth::Role;

/// A call that never finishes, as a slow one would, of `caller`.
fn call_of(caller: &str) -> http::Request<tonic::body::Body> {
    let mut request = http::Request::builder()
        .uri("/budgetrad.v1.HouseholdService/GetHousehold")
        .body(tonic::body::Body::empty())
        .expect("a request");
    request.extensions_mut().insert(Caller {
        name: caller.to_owned(),
        roles: vec![Role::Caseworker],
        units: None,
        signature: None,
    });
    request
}

fn never_answers() -> impl Service<
    http::Request<tonic::body::Body>,
    Response = http::Response<tonic::body::Body>,
    Error = Infallible,
    Future = impl Future<Output = Result<http::Response<tonic::body::Body>, Infallible>>
             + Send
             + 'static,
> + Clone
+ Send
+ 'static {
    tower::service_fn(|_request: http::Request<tonic::body::Body>| {
        std::future::pending::<Result<http::Response<tonic::body::Body>, Infallible>>()
    })
}

/// The gRPC status of an answer given at once, if it was.
async fn answered_at_once(future: ResponseFuture<tonic::body::Body, Infallible>) -> Option<Status> {
    let response = tokio::time::timeout(Duration::from_millis(50), future)
        .await
        .ok()?
        .expect("infallible");
    Status::from_header_map(response.headers())
}

#[tokio::test]
async fn one_caller_at_its_share_is_refused_with_retry_info_and_others_are_not() {
    let layer = ShedLayer::new(10, 2, Arc::new(DatabaseHealth::default()));
    let mut shed = layer.layer(never_answers());
    let mut in_flight = Vec::new();
    for _ in 0..2 {
        let future = shed.ready().await.expect("ready").call(call_of("batch"));
        in_flight.push(tokio::spawn(future));
    }
    tokio::task::yield_now().await;
    let refused = answered_at_once(shed.ready().await.expect("ready").call(call_of("batch")))
        .await
        .expect("refused at once");
    assert_eq!(refused.code(), Code::ResourceExhausted);
    assert!(refused.message().contains("this caller"), "{refused:?}");
    assert_eq!(
        refused.get_details_retry_info().and_then(|r| r.retry_delay),
        Some(RETRY_AFTER)
    );
    // Another caller still gets a slot (its call is in flight, not refused).
    let other = shed.ready().await.expect("ready").call(call_of("desk"));
    assert!(answered_at_once(other).await.is_none());
    // A finished call gives its caller's slot back.
    in_flight.pop().expect("a call").abort();
    tokio::task::yield_now().await;
    tokio::time::sleep(Duration::from_millis(10)).await;
    let again = shed.ready().await.expect("ready").call(call_of("batch"));
    assert!(answered_at_once(again).await.is_none());
}

#[test]
fn a_quarter_is_at_least_one() {
    assert_eq!(quarter(256), 64);
    assert_eq!(quarter(16), 4);
    assert_eq!(quarter(3), 1);
}

#[test]
fn slots_are_counted_per_caller_and_given_back() {
    let slots = PerCaller::new(1);
    let first = slots.try_take("a").expect("a slot");
    assert!(slots.try_take("a").is_none());
    assert!(slots.try_take("b").is_some());
    drop(first);
    assert!(slots.try_take("a").is_some());
}

#[test]
fn every_method_whose_request_is_a_stream_is_passed_through_whole() {
    use prost::Message;
    let set = prost_types::FileDescriptorSet::decode(crate::pb::FILE_DESCRIPTOR_SET)
        .expect("the descriptors");
    let mut streamed = Vec::new();
    for file in &set.file {
        for service in &file.service {
            for method in &service.method {
                if method.client_streaming() {
                    streamed.push(format!(
                        "/{}.{}/{}",
                        file.package(),
                        service.name(),
                        method.name()
                    ));
                }
            }
        }
    }
    assert_eq!(streamed, STREAMED_REQUESTS.to_vec());
}
