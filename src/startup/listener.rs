//! The listener's accepted connections, tuned for how HTTP/2 writes to them.
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

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tonic::transport::server::{Connected, TcpIncoming};

/// The accepted connections of `listener`, with TCP_NODELAY: without it a
/// response's last small frame waits for the client's delayed ACK (about
/// 40 ms a call), since we bind the listener ourselves and tonic's own
/// socket options do not apply to it.
pub(super) fn incoming(
    listener: TcpListener,
) -> impl tokio_stream::Stream<Item = io::Result<CopiedWrites<TcpStream>>> {
    use tokio_stream::StreamExt;
    TcpIncoming::from(listener)
        .with_nodelay(Some(true))
        .with_keepalive(Some(Duration::from_secs(60)))
        .map(|accepted| accepted.map(CopiedWrites))
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
