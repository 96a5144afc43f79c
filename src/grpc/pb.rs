//! The code generated from `proto/budgetrad/v1` (package `budgetrad.v1`): the
//! messages, the server traits and the clients. Only `src/grpc` and the CLI
//! use it; the domain never sees a proto type.

tonic::include_proto!("budgetrad.v1");

/// The encoded descriptors of our protos, for server reflection.
pub const FILE_DESCRIPTOR_SET: &[u8] = tonic::include_file_descriptor_set!("budgetrad_descriptor");
