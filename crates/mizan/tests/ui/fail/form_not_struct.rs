#[derive(mizan::FormFields)]
enum ContactForm {
    Name(String),
}
fn main() {}
