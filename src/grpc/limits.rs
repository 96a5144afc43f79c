//! Load shedding: at most a configured number of `budgetrad.v1` calls are in
//! flight in this process, and at most a quarter of them (by default) for
//! any one caller; a call beyond that is refused at once with
//! RESOURCE_EXHAUSTED and a `RetryInfo` instead of waiting in a queue that
//! grows without bound. A unary call's request body must arrive within a
//! few seconds before the call takes a slot ([`BodyDeadlineLayer`]), so
//! requests whose body never comes hold nothing. While the database does not answer (health
//! NOT_SERVING), calls are refused at once with UNAVAILABLE, well within
//! any deadline, instead of each waiting for a connection that will not
//! come. Health and reflection are never shed, so a load balancer keeps
//! seeing the server while it is busy or its database is down.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use http_body_util::{BodyExt, Full, Limited};
use tokio::sync::Semaphore;
use tonic::codegen::http;
use tonic::{Code, Status};
use tonic_types::{ErrorDetails, StatusExt};
use tower::{Layer, Service};

use super::auth::Caller;
use super::layer::{ResponseFuture, refuse, take_ready};
use crate::app::DatabaseHealth;

/// When a refused caller may try again.
const RETRY_AFTER: Duration = Duration::from_secs(1);

/// RESOURCE_EXHAUSTED that tells the client when to retry.
pub fn exhausted(message: String) -> Status {
    Status::with_error_details(
        Code::ResourceExhausted,
        message,
        ErrorDetails::with_retry_info(Some(RETRY_AFTER)),
    )
}

/// What one caller has in flight, against a limit per caller: calls here,
/// rent-check streams in their service.
pub struct PerCaller {
    limit: usize,
    counts: Mutex<HashMap<String, usize>>,
}

impl PerCaller {
    pub fn new(limit: usize) -> Arc<PerCaller> {
        Arc::new(PerCaller {
            limit: limit.max(1),
            counts: Mutex::new(HashMap::new()),
        })
    }

    pub fn limit(&self) -> usize {
        self.limit
    }

    /// A slot for `caller`, held until dropped; `None` at the limit.
    pub fn try_take(self: &Arc<Self>, caller: &str) -> Option<CallerSlot> {
        let mut counts = self.lock();
        let count = counts.entry(caller.to_owned()).or_insert(0);
        if *count >= self.limit {
            return None;
        }
        *count += 1;
        Some(CallerSlot {
            owner: self.clone(),
            caller: caller.to_owned(),
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, usize>> {
        // Plain counts: a panic elsewhere cannot leave them torn.
        self.counts
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// One caller's slot; given back on drop.
pub struct CallerSlot {
    owner: Arc<PerCaller>,
    caller: String,
}

impl Drop for CallerSlot {
    fn drop(&mut self) {
        let mut counts = self.owner.lock();
        if let Some(count) = counts.get_mut(&self.caller) {
            *count -= 1;
            if *count == 0 {
                counts.remove(&self.caller);
            }
        }
    }
}

/// The default share of a limit that one caller may use: a quarter,
/// at least one.
pub fn quarter(limit: usize) -> usize {
    (limit / 4).max(1)
}

#[derive(Clone)]
pub struct ShedLayer {
    permits: Arc<Semaphore>,
    limit: usize,
    per_caller: Arc<PerCaller>,
    database: Arc<DatabaseHealth>,
}

impl ShedLayer {
    /// `limit` calls in flight, `per_caller` of them for any one caller.
    pub fn new(limit: usize, per_caller: usize, database: Arc<DatabaseHealth>) -> Self {
        ShedLayer {
            permits: Arc::new(Semaphore::new(limit)),
            limit,
            per_caller: PerCaller::new(per_caller),
            database,
        }
    }
}

impl<S> Layer<S> for ShedLayer {
    type Service = Shed<S>;

    fn layer(&self, inner: S) -> Self::Service {
        Shed {
            inner,
            layer: self.clone(),
        }
    }
}

#[derive(Clone)]
pub struct Shed<S> {
    inner: S,
    /// The permits and the database's health, shared with the layer.
    layer: ShedLayer,
}

impl<S, ReqBody, ResBody> Service<http::Request<ReqBody>> for Shed<S>
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
        let permit = if request.uri().path().starts_with("/budgetrad.") {
            if !self.layer.database.reachable() {
                return refuse(Status::unavailable(
                    "the database is unavailable; retry later",
                ));
            }
            // The caller's share first, so one caller at its limit does not
            // take a slot from the others even for a moment.
            let slot = match request.extensions().get::<Caller>() {
                Some(caller) => match self.layer.per_caller.try_take(&caller.name) {
                    Some(slot) => Some(slot),
                    None => {
                        return refuse(exhausted(format!(
                            "this caller is at its limit of {} calls in flight; retry with backoff",
                            self.layer.per_caller.limit()
                        )));
                    }
                },
                None => None,
            };
            match self.layer.permits.clone().try_acquire_owned() {
                Ok(permit) => Some((permit, slot)),
                Err(_) => {
                    return refuse(exhausted(format!(
                        "the server is at its limit of {} calls in flight; retry with backoff",
                        self.layer.limit
                    )));
                }
            }
        } else {
            None
        };
        let future = take_ready(&mut self.inner).call(request);
        Box::pin(async move {
            let response = future.await;
            // The call's work is done once its response is ready.
            drop(permit);
            response
        })
    }
}

/// The methods whose request is a stream: their bodies are not gathered.
const STREAMED_REQUESTS: [&str; 1] = ["/budgetrad.v1.RentCheckService/CheckRentPaidStream"];

/// Gathers a unary `budgetrad.v1` call's request body, at most `max_bytes`,
/// within `timeout`, before the call goes on (to the shedding layer and its
/// slots): a request whose body does not arrive is answered
/// DEADLINE_EXCEEDED and has held no slot meanwhile.
#[derive(Clone)]
pub struct BodyDeadlineLayer {
    timeout: Duration,
    max_bytes: usize,
}

impl BodyDeadlineLayer {
    /// `max_message_bytes` is the largest message decoded; the body holds it
    /// behind gRPC's 5-byte frame header.
    pub fn new(timeout: Duration, max_message_bytes: usize) -> Self {
        BodyDeadlineLayer {
            timeout,
            max_bytes: max_message_bytes.saturating_add(5),
        }
    }
}

impl<S> Layer<S> for BodyDeadlineLayer {
    type Service = BodyDeadline<S>;

    fn layer(&self, inner: S) -> Self::Service {
        BodyDeadline {
            inner,
            layer: self.clone(),
        }
    }
}

#[derive(Clone)]
pub struct BodyDeadline<S> {
    inner: S,
    layer: BodyDeadlineLayer,
}

impl<S, ResBody> Service<http::Request<tonic::body::Body>> for BodyDeadline<S>
where
    S: Service<http::Request<tonic::body::Body>, Response = http::Response<ResBody>>
        + Clone
        + Send
        + 'static,
    S::Future: Send + 'static,
    ResBody: Default + Send + 'static,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = ResponseFuture<ResBody, S::Error>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: http::Request<tonic::body::Body>) -> Self::Future {
        let path = request.uri().path();
        let mut inner = take_ready(&mut self.inner);
        if !path.starts_with("/budgetrad.") || STREAMED_REQUESTS.contains(&path) {
            return Box::pin(inner.call(request));
        }
        let BodyDeadlineLayer { timeout, max_bytes } = self.layer;
        let (parts, body) = request.into_parts();
        Box::pin(async move {
            let gathered =
                tokio::time::timeout(timeout, Limited::new(body, max_bytes).collect()).await;
            let bytes = match gathered {
                Ok(Ok(collected)) => collected.to_bytes(),
                Err(_) => {
                    return Ok(Status::deadline_exceeded(format!(
                        "the request body did not arrive within {} s",
                        timeout.as_secs_f32()
                    ))
                    .into_http());
                }
                Ok(Err(e)) if e.is::<http_body_util::LengthLimitError>() => {
                    return Ok(Status::resource_exhausted(format!(
                        "the request message is larger than the limit of {} bytes",
                        max_bytes - 5
                    ))
                    .into_http());
                }
                Ok(Err(_)) => {
                    return Ok(Status::cancelled("the request body was not received").into_http());
                }
            };
            let request =
                http::Request::from_parts(parts, tonic::body::Body::new(Full::new(bytes)));
            inner.call(request).await
        })
    }
}

#[cfg(test)]
mod tests;
