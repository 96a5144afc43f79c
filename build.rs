//! Compiles `proto/budgetrad/v1/*.proto` with protox (a pure-Rust protobuf
//! compiler, so no system `protoc` is needed) and hands the descriptors to
//! tonic-prost-build. The encoded descriptor set is also written to OUT_DIR for
//! server reflection.

use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let proto_dir = PathBuf::from("proto/budgetrad/v1");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&proto_dir)?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "proto"))
        .collect();
    files.sort();

    let fds = protox::compile(&files, ["proto"])?;
    let out = PathBuf::from(std::env::var("OUT_DIR")?);
    std::fs::write(
        out.join("budgetrad_descriptor.bin"),
        prost::Message::encode_to_vec(&fds),
    )?;
    tonic_prost_build::configure()
        .build_client(true)
        .build_server(true)
        // A streamed answer is a result or an item error; boxing the
        // (much larger) result keeps the oneof small.
        .boxed(".budgetrad.v1.CheckRentPaidStreamResponse.outcome.result")
        .compile_fds(fds)?;

    // tonic-prost-build no longer emits these itself.
    println!("cargo:rerun-if-changed=proto");
    for file in &files {
        println!("cargo:rerun-if-changed={}", file.display());
    }
    println!("cargo:rerun-if-changed=migrations");
    Ok(())
}
