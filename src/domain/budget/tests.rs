use super::*;

#[test]
fn monthly_normalisation() {
    let (m, b) = monthly(Money::from_kronor(450), Frequency::Weekly);
    assert_eq!(m, Money::from_kronor(1950));
    assert_eq!(b.arithmetic, "450 × 52 / 12 = 1 950");
    let (m, _) = monthly(Money::from_kronor(1000), Frequency::EveryFourWeeks);
    assert_eq!(m, Money::from_ore(108_333)); // 1083.333… → 1083.33
    let (m, _) = monthly(Money::from_kronor(100), Frequency::Quarterly);
    assert_eq!(m, Money::from_ore(3333)); // 33.333… → 33.33
    let (m, _) = monthly(Money::from_ore(5), Frequency::Yearly);
    assert_eq!(m, Money::ZERO); // 0.0041… → 0.00
    let (m, _) = monthly(Money::from_ore(6), Frequency::Yearly);
    assert_eq!(m, Money::from_ore(1)); // 0.06 / 12 = 0.005 → half away from zero → 0.01
}
