//! Sample bodies of the composition cases, decoded into their generated types and encoded
//! back unchanged. Assigning a field to a binding of the expected type is the compile-time
//! check of the field's type. Samples never send `null` for an optional field (the models
//! read it as absent and leave it out).

mod allof_agreeing_parts;
mod allof_recursive;
mod allof_single_part;
mod allof_union_cycle;
mod empty_objects;
mod extra_properties_kept;
mod implicit_tag;
mod nullable_in_containers;
mod reference_ring;
mod swagger2_discriminator;
mod swagger2_nullable;
mod union_by_enum_property;
