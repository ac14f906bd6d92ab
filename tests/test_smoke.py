def test_home_renders_for_admin(world, as_user):
    r = as_user(world.admin).get("/w/support/")
    assert r.status_code == 200
    assert b"Tickets in your area" in r.content
