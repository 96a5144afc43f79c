//! A request that cannot be decoded is the caller's error: tonic answers a
//! protobuf decode failure (invalid UTF-8 in a string, a truncated field)
//! with INTERNAL, as the gRPC status-code guide says of a server's own
//! parse errors. This layer turns that answer into INVALID_ARGUMENT before
//! it leaves. A unary call's decode failure comes back before its handler
//! runs, as a response of headers only, which is what the layer rewrites;
//! the rent-check stream maps a failure of a later message itself
//! ([`super::status::caller_error`]).

use std::task::{Context, Poll};

use tonic::Status;
use tonic::codegen::http;
use tower::{Layer, Service};

use super::layer::{ResponseFuture, take_ready};
use super::status::{caller_error, is_decode_error};

#[derive(Clone, Copy, Default)]
pub struct DecodeErrorLayer;

impl<S> Layer<S> for DecodeErrorLayer {
    type Service = DecodeErrors<S>;

    fn layer(&self, inner: S) -> Self::Service {
        DecodeErrors { inner }
    }
}

#[derive(Clone)]
pub struct DecodeErrors<S> {
    inner: S,
}

impl<S, ReqBody, ResBody> Service<http::Request<ReqBody>> for DecodeErrors<S>
where
    S: Service<http::Request<ReqBody>, Response = http::Response<ResBody>> + Clone + Send + 'static,
    S::Future: Send + 'static,
    ReqBody: Send + 'static,
    ResBody: Default + Send + 'static,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = ResponseFuture<ResBody, S::Error>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: http::Request<ReqBody>) -> Self::Future {
        let call = take_ready(&mut self.inner).call(request);
        Box::pin(async move {
            let response = call.await?;
            match Status::from_header_map(response.headers()) {
                Some(status) if is_decode_error(&status) => Ok(caller_error(status).into_http()),
                _ => Ok(response),
            }
        })
    }
}
