//! The contract: the code generated from `proto/budgetrad/v1` (package
//! `budgetrad.v1`), its messages, server traits and clients. The server's
//! wire layer (`src/grpc`) implements the traits and the CLI calls the
//! clients; neither depends on the other, and the domain never sees a proto
//! type.

tonic::include_proto!("budgetrad.v1");

/// The encoded descriptors of our protos, for server reflection.
pub const FILE_DESCRIPTOR_SET: &[u8] = tonic::include_file_descriptor_set!("budgetrad_descriptor");
