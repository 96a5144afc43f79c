use tonic::Status;

use super::*;
use crate::cli::args::Paging;

#[tokio::test]
async fn paging_follows_tokens_only_with_all() {
    let pages = |token: String| async move {
        match token.as_str() {
            "" => Ok((vec![1, 2], "p2".to_owned())),
            "p2" => Ok((vec![3], String::new())),
            _ => Err(PageError::Status(Status::internal("unexpected"))),
        }
    };
    let one = Paging {
        page_size: None,
        page_token: None,
        all: false,
    };
    let (items, next) = collect_pages(&one, pages).await.ok().unwrap();
    assert_eq!((items, next.as_str()), (vec![1, 2], "p2"));

    let all = Paging { all: true, ..one };
    let (items, next) = collect_pages(&all, pages).await.ok().unwrap();
    assert_eq!((items, next.as_str()), (vec![1, 2, 3], ""));

    let looping = |_token: String| async move { Ok((vec![0], "same".to_owned())) };
    let from_same = Paging {
        page_size: None,
        page_token: Some("same".into()),
        all: true,
    };
    assert!(matches!(
        collect_pages(&from_same, looping).await,
        Err(PageError::Loop)
    ));
}
