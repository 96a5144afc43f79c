//! What the tower layers in front of the services share: answering a call
//! with a refusal, and handing the call to the inner service that was made
//! ready (tower's clone-and-swap: the ready one answers, the fresh clone
//! waits for the next call).

use std::future::Future;
use std::pin::Pin;

use tonic::Status;
use tonic::codegen::http;

/// The boxed response future of our layers.
pub type ResponseFuture<B, E> = Pin<Box<dyn Future<Output = Result<http::Response<B>, E>> + Send>>;

/// Answers the call with `status`, without calling the service.
pub fn refuse<B: Default + Send + 'static, E: 'static>(status: Status) -> ResponseFuture<B, E> {
    Box::pin(async move { Ok(status.into_http()) })
}

/// The inner service that `poll_ready` made ready, leaving a fresh clone in
/// its place.
pub fn take_ready<S: Clone>(inner: &mut S) -> S {
    let clone = inner.clone();
    std::mem::replace(inner, clone)
}
