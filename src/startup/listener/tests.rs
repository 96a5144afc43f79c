use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tonic::transport::server::TcpConnectInfo;

use super::*;

/// A connected pair of loopback sockets: (accepted, dialled).
async fn pair() -> (TcpStream, TcpStream) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let dialled = TcpStream::connect(listener.local_addr().unwrap())
        .await
        .unwrap();
    let (accepted, _) = listener.accept().await.unwrap();
    (accepted, dialled)
}

#[tokio::test]
async fn says_it_does_not_write_vectored_where_the_socket_does() {
    let (accepted, _dialled) = pair().await;
    // Without this the wrapper would change nothing.
    assert!(accepted.is_write_vectored());
    assert!(!CopiedWrites(accepted).is_write_vectored());
}

#[tokio::test]
async fn passes_bytes_through_both_ways_and_vectored_writes_in_order() {
    let (accepted, mut dialled) = pair().await;
    let mut conn = CopiedWrites(accepted);

    dialled.write_all(b"request").await.unwrap();
    let mut got = [0u8; 7];
    conn.read_exact(&mut got).await.unwrap();
    assert_eq!(&got, b"request");

    // A caller that writes vectored anyway (as h2 does for a frame it held
    // aside) gets every slice written, in order.
    let (head, payload): (&[u8], &[u8]) = (b"head:", b"payload");
    let mut written = 0;
    while written < head.len() + payload.len() {
        let (first, second) = match written.checked_sub(head.len()) {
            None => (&head[written..], payload),
            Some(into_payload) => (&payload[into_payload..], &[][..]),
        };
        let n = conn
            .write_vectored(&[io::IoSlice::new(first), io::IoSlice::new(second)])
            .await
            .unwrap();
        assert!(n > 0);
        written += n;
    }
    conn.write_all(b";end").await.unwrap();
    conn.flush().await.unwrap();
    conn.shutdown().await.unwrap();
    let mut echoed = Vec::new();
    dialled.read_to_end(&mut echoed).await.unwrap();
    assert_eq!(echoed, b"head:payload;end");
}

#[tokio::test]
async fn keeps_the_sockets_addresses_for_the_request() {
    let (accepted, dialled) = pair().await;
    let info: TcpConnectInfo = CopiedWrites(accepted).connect_info();
    assert_eq!(info.remote_addr, Some(dialled.local_addr().unwrap()));
    assert_eq!(info.local_addr, Some(dialled.peer_addr().unwrap()));
}
