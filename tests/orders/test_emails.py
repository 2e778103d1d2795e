"""The order e-mails arrive through the real worker and SMTP server, with the order's lines and
totals. The worker reads no database (the context travels with the job), so the rolled-back
client does."""

import pytest

from tests.fixtures.mail import SmtpServer, html_body, text_body
from tests.fixtures.orders import CART, ORDERS, Shop

pytestmark = pytest.mark.usefixtures("celery_worker")


async def test_placed_paid_shipped_and_cancelled_emails(
    shop: Shop, smtp_server: SmtpServer
) -> None:
    customer = await shop.customer()
    lamp = await shop.product(5, price="39.90", name="Walnut desk lamp")
    shade = await shop.product(5, price="12.50", name="Linen <b>shade</b>")
    order = await shop.order(customer, (lamp, 2), (shade, 1))
    number = order["number"]
    email = customer.user.email

    placed = smtp_server.wait_for(email, subject_contains=number)
    assert "confirmed" in placed["Subject"]
    text = text_body(placed)
    assert f"- Walnut desk lamp ({lamp.sku}): 2 x 39.90 EUR = 79.80 EUR" in text
    assert f"- Linen <b>shade</b> ({shade.sku}): 1 x 12.50 EUR = 12.50 EUR" in text
    assert "Total: 92.30 EUR" in text
    assert f"http://shop.example.com/orders/{order['id']}" in text
    html = html_body(placed)
    assert "Linen &lt;b&gt;shade&lt;/b&gt;" in html
    assert "92.30 EUR" in html

    for step, word in (("pay", "payment received"), ("ship", "on its way")):
        response = await shop.client.post(f"{ORDERS}/{order['id']}/{step}", headers=shop.staff)
        assert response.status_code == 200
        message = smtp_server.wait_for(email, subject_contains=number)
        assert word in message["Subject"]
        assert "Total: 92.30 EUR" in text_body(message)

    other = await shop.order(customer, (lamp, 1))
    smtp_server.wait_for(email, subject_contains=other["number"])
    cancelled = await shop.client.post(f"{ORDERS}/{other['id']}/cancel", headers=customer.headers)
    assert cancelled.status_code == 200
    message = smtp_server.wait_for(email, subject_contains=other["number"])
    assert "cancelled" in message["Subject"]
    assert "Total: 39.90 EUR" in text_body(message)


async def test_no_email_for_a_refused_checkout(shop: Shop, smtp_server: SmtpServer) -> None:
    customer = await shop.customer()
    product = await shop.product(1)
    assert (await shop.add(customer, product, 1)).status_code == 201
    await shop.make_stock(shop.warehouse, product, 0, reserved=1)
    assert (await shop.checkout(customer)).status_code == 409
    assert (await shop.client.delete(CART, headers=customer.headers)).status_code == 204
    # A later e-mail to the same address is the next one the server sees for it.
    order_product = await shop.product(5)
    order = await shop.order(customer, (order_product, 1))
    first = smtp_server.wait_for(customer.user.email)
    assert order["number"] in first["Subject"]
