//! The listener's accepted connections: at most a configured number open at
//! once (one more is closed as soon as it is accepted), each given a
//! deadline for its first bytes (the HTTP/2 preface and SETTINGS header, or
//! a TLS hello), so connections that send nothing cannot pile up; and tuned
//! for how HTTP/2 writes to them. Once a connection has spoken, HTTP/2
//! keepalive pings (set on the server) close it when it falls silent.
//!
//! The behaviour this depends on is h2's (0.4, under hyper and tonic), in
//! `src/codec/framed_write.rs`: a DATA frame is copied into the write buffer
//! only when it is smaller than `CHAIN_THRESHOLD` (256 bytes) on a connection
//! that says it writes vectored, or `CHAIN_THRESHOLD_WITHOUT_VECTORED_IO`
//! (1 KiB) on one that does not. A larger frame is held
//! aside and the buffer must be written out before the next frame is taken,
//! so every answer of 256 bytes to 1 KiB (an explained budget is about
//! 600) cost its own `writev` call, where smaller answers from many calls in
//! flight share one. [`CopiedWrites`] says it does not write vectored, so h2
//! copies those answers too and writes them together.
//!
//! Frames over 1 KiB are still written from their own buffer, one `write` for
//! the frames before them and one for the frame. Under TLS the stream is
//! rustls's, which writes vectored; this applies to plain TCP.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::Sleep;
use tokio_stream::Stream;
use tonic::transport::server::{Connected, TcpIncoming};

/// What bounds the connections themselves.
#[derive(Debug, Clone, Copy)]
pub struct ConnectionLimits {
    /// Connections open at once.
    pub max_connections: usize,
    /// How long a new connection may take to send its first bytes, and
    /// how long an established one may stay silent (answering no
    /// keepalive ping) before it is closed.
    pub silence: Duration,
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        ConnectionLimits {
            max_connections: 4096,
            silence: Duration::from_secs(10),
        }
    }
}

/// The bytes a client sends first: HTTP/2's 24-byte preface and the
/// 9-byte header of its SETTINGS frame (a TLS hello is longer).
const FIRST_BYTES: usize = 33;

/// After an accept error (the process out of file descriptors, say), the
/// pause before accepting again, so the loop does not spin.
const ACCEPT_PAUSE: Duration = Duration::from_millis(100);

/// The accepted connections of `listener` under `limits`, with TCP_NODELAY:
/// without it a response's last small frame waits for the client's delayed
/// ACK (about 40 ms a call), since we bind the listener ourselves and
/// tonic's own socket options do not apply to it.
pub(super) fn incoming(listener: TcpListener, limits: ConnectionLimits) -> Admitted {
    Admitted {
        inner: TcpIncoming::from(listener)
            .with_nodelay(Some(true))
            .with_keepalive(Some(Duration::from_secs(60))),
        open: Arc::new(Semaphore::new(limits.max_connections)),
        silence: limits.silence,
        pause: None,
    }
}

/// The stream of admitted connections.
pub struct Admitted {
    inner: TcpIncoming,
    open: Arc<Semaphore>,
    silence: Duration,
    pause: Option<Pin<Box<Sleep>>>,
}

impl Stream for Admitted {
    type Item = io::Result<Guarded<CopiedWrites<TcpStream>>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        if let Some(pause) = this.pause.as_mut() {
            if pause.as_mut().poll(cx).is_pending() {
                return Poll::Pending;
            }
            this.pause = None;
        }
        loop {
            match Pin::new(&mut this.inner).poll_next(cx) {
                Poll::Ready(Some(Ok(stream))) => match this.open.clone().try_acquire_owned() {
                    Ok(permit) => {
                        return Poll::Ready(Some(Ok(Guarded {
                            io: CopiedWrites(stream),
                            _permit: permit,
                            first_bytes: Some((
                                FIRST_BYTES,
                                Box::pin(tokio::time::sleep(this.silence)),
                            )),
                        })));
                    }
                    // At the cap: closed at once, so the client sees it
                    // and the descriptor is free again.
                    Err(_) => {
                        tracing::debug!("connection closed: at the limit of open connections");
                        drop(stream);
                    }
                },
                Poll::Ready(Some(Err(error))) => {
                    tracing::warn!(error = %error, "accepting a connection failed; pausing");
                    this.pause = Some(Box::pin(tokio::time::sleep(ACCEPT_PAUSE)));
                    return Poll::Ready(Some(Err(error)));
                }
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Pending => return Poll::Pending,
            }
        }
    }
}

/// An admitted connection: it holds its place among the open connections
/// until dropped, and fails with TimedOut when its first bytes do not
/// arrive in time.
pub struct Guarded<T> {
    io: T,
    _permit: OwnedSemaphorePermit,
    /// The bytes still awaited and the deadline for them, until they came.
    first_bytes: Option<(usize, Pin<Box<Sleep>>)>,
}

impl<T: AsyncRead + Unpin> AsyncRead for Guarded<T> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        let polled = Pin::new(&mut this.io).poll_read(cx, buf);
        if let Some((awaited, deadline)) = this.first_bytes.as_mut() {
            match &polled {
                Poll::Ready(Ok(())) => {
                    *awaited = awaited.saturating_sub(buf.filled().len() - before);
                    if *awaited == 0 {
                        this.first_bytes = None;
                    }
                }
                Poll::Pending if deadline.as_mut().poll(cx).is_ready() => {
                    return Poll::Ready(Err(io::Error::new(
                        io::ErrorKind::TimedOut,
                        "the client sent too little in time",
                    )));
                }
                _ => {}
            }
        }
        polled
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for Guarded<T> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().io).poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_shutdown(cx)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }
}

impl<T: Connected> Connected for Guarded<T> {
    type ConnectInfo = T::ConnectInfo;

    fn connect_info(&self) -> Self::ConnectInfo {
        self.io.connect_info()
    }
}

/// A connection that reports it does not write vectored; everything else
/// passes through.
#[derive(Debug)]
pub struct CopiedWrites<T>(pub T);

impl<T: AsyncRead + Unpin> AsyncRead for CopiedWrites<T> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().0).poll_read(cx, buf)
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for CopiedWrites<T> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().0).poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().0).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().0).poll_shutdown(cx)
    }

    fn is_write_vectored(&self) -> bool {
        false
    }
}

impl<T: Connected> Connected for CopiedWrites<T> {
    type ConnectInfo = T::ConnectInfo;

    fn connect_info(&self) -> Self::ConnectInfo {
        self.0.connect_info()
    }
}

#[cfg(test)]
mod tests;
