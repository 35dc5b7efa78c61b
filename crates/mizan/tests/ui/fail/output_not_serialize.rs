// An output must serialize (and describe itself): a type that does not is
// refused where the function is declared.
struct Secret {
    _key: Vec<u8>,
}

#[mizan::client]
async fn leak(_req: &mizan::Request) -> mizan::Result<Secret> {
    Ok(Secret { _key: vec![] })
}

// A stream's items too.
#[mizan::client]
async fn leak_all(_req: &mizan::Request) -> mizan::Result<mizan::Stream<Secret>> {
    Ok(mizan::Stream::iter([Secret { _key: vec![] }]))
}

fn main() {}
