//! The domain's ids bind and read as the integers they are, so queries take and give typed
//! ids and the domain stays free of the database driver.

use sqlx::any::{Any, AnyTypeInfo};
use sqlx::encode::IsNull;
use sqlx::error::BoxDynError;
use sqlx::{Database, Decode, Encode, Type};

use crate::domain::{CabinetId, OrderId, ProductId, SkuId, StoreId};

macro_rules! as_integer {
    ($($t:ty),*) => {$(
        impl Type<Any> for $t {
            fn type_info() -> AnyTypeInfo {
                <i64 as Type<Any>>::type_info()
            }

            fn compatible(ty: &AnyTypeInfo) -> bool {
                <i64 as Type<Any>>::compatible(ty)
            }
        }

        impl Encode<'_, Any> for $t {
            fn encode_by_ref(
                &self,
                buf: &mut <Any as Database>::ArgumentBuffer,
            ) -> Result<IsNull, BoxDynError> {
                <i64 as Encode<'_, Any>>::encode_by_ref(&self.0, buf)
            }
        }

        impl<'r> Decode<'r, Any> for $t {
            fn decode(value: <Any as Database>::ValueRef<'r>) -> Result<Self, BoxDynError> {
                <i64 as Decode<'r, Any>>::decode(value).map(Self)
            }
        }
    )*};
}

as_integer!(CabinetId, OrderId, ProductId, SkuId, StoreId);
