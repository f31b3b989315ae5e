def find(db, name):
    # ruleid: py-nosql-where-injection
    db.users.find({"$where": "this.name == '" + name + "'"})
    # ruleid: py-nosql-where-injection
    db.users.find({"active": True, "$where": f"this.age > {name}"})
    # ok: py-nosql-where-injection
    db.users.find({"$where": "this.a > this.b"})
    # ok: py-nosql-where-injection
    db.users.find({"name": name})
