# S1: shipping. Free standard shipping on orders over US$35, else a flat fee.

module shipping

const free_shipping_over: Money = US$35 @cite("voltmart-terms.txt", "S1 Free shipping")

const standard_shipping_fee: Money = US$5.99 @cite("voltmart-terms.txt", "S1 Free shipping")

enum Speed {
  standard,
  express,
}

def shipping_fee(subtotal: Money, speed: Speed) -> Money
  @cite("voltmart-terms.txt", "S1 Free shipping")
  = match speed {
      Speed.standard => if subtotal > free_shipping_over then US$0 else standard_shipping_fee,
      Speed.express => US$14.99,
    }

test "free shipping strictly over US$35" @cite("voltmart-terms.txt", "S1 Free shipping") {
  expect shipping_fee(US$35.01, Speed.standard) == US$0
  expect shipping_fee(US$35, Speed.standard) == US$5.99
  expect shipping_fee(US$200, Speed.express) == US$14.99
}
