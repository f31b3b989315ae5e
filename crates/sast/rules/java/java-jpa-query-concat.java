class Dao {
    Object find(javax.persistence.EntityManager em, String name) {
        // ruleid: java-jpa-query-concat
        return em.createQuery("FROM User u WHERE u.name = '" + name + "'").getResultList();
    }
    Object find2(javax.persistence.EntityManager em, String name) {
        // ok: java-jpa-query-concat
        return em.createQuery("FROM User u WHERE u.name = :n").setParameter("n", name).getResultList();
    }
}
