def user(doc, name):
    # ruleid: py-xpath-injection
    return doc.xpath("//user[@name='" + name + "']")

def user2(tree, name):
    # ruleid: py-xpath-injection
    return tree.findall(f".//user[@name='{name}']")

def user3(doc, name):
    # ok: py-xpath-injection
    return doc.xpath("//user[@name=$name]", name=name)
