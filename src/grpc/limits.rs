//! Load shedding: at most a configured number of `budgetrad.v1` calls are in
//! flight in this process; a call beyond that is refused at once with
//! RESOURCE_EXHAUSTED (retry with backoff) instead of waiting in a queue
//! that grows without bound. While the database does not answer (health
//! NOT_SERVING), calls are refused at once with UNAVAILABLE, well within
//! any deadline, instead of each waiting for a connection that will not
//! come. Health and reflection are never shed, so a load balancer keeps
//! seeing the server while it is busy or its database is down.

use std::sync::Arc;
use std::task::{Context, Poll};

use tokio::sync::Semaphore;
use tonic::Status;
use tonic::codegen::http;
use tower::{Layer, Service};

use super::layer::{ResponseFuture, refuse, take_ready};
use crate::app::DatabaseHealth;

#[derive(Clone)]
pub struct ShedLayer {
    permits: Arc<Semaphore>,
    limit: usize,
    database: Arc<DatabaseHealth>,
}

impl ShedLayer {
    pub fn new(limit: usize, database: Arc<DatabaseHealth>) -> Self {
        ShedLayer {
            permits: Arc::new(Semaphore::new(limit)),
            limit,
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
            match self.layer.permits.clone().try_acquire_owned() {
                Ok(permit) => Some(permit),
                Err(_) => {
                    let status = Status::resource_exhausted(format!(
                        "the server is at its limit of {} calls in flight; retry with backoff",
                        self.layer.limit
                    ));
                    return refuse(status);
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
